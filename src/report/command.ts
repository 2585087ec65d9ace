import { notYetCommand } from "../cli/not-yet.js";

export const reportCommand = () => notYetCommand("report", "Summarize a run (solve rate, breakdowns, plots)", 7);
