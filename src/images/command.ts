import { notYetCommand } from "../cli/not-yet.js";

export const imagesCommand = () => notYetCommand("images", "Build, list and clean instance images", 3);
