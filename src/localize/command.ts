import { notYetCommand } from "../cli/not-yet.js";

export const localizeCommand = () => notYetCommand("localize", "Localize the files to edit with the model", 4);
