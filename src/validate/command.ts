import { notYetCommand } from "../cli/not-yet.js";

export const validateCommand = () => notYetCommand("validate", "Run regression and reproduction tests on each unique patch", 6);
