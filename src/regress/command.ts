import { notYetCommand } from "../cli/not-yet.js";

export const regressCommand = () => notYetCommand("regress", "Select regression tests that pass on the original code", 6);
