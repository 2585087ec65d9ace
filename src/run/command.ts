import { notYetCommand } from "../cli/not-yet.js";

export const runCommand = () => notYetCommand("run", "Run the whole pipeline from a config", 7);
