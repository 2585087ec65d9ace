import { notYetCommand } from "../cli/not-yet.js";

export const evaluateCommand = () => notYetCommand("evaluate", "Grade predictions in Docker like the SWE-bench harness", 3);
