import { notYetCommand } from "../cli/not-yet.js";

export const cacheCommand = () => notYetCommand("cache", "Inspect or clear the model response cache", 5);
