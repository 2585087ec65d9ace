import { notYetCommand } from "../cli/not-yet.js";

export const ablateCommand = () => notYetCommand("ablate", "Solve rate vs repair samples and reproduction tests", 7);
