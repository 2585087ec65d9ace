import { notYetCommand } from "../cli/not-yet.js";

export const rerankCommand = () => notYetCommand("rerank", "Choose one patch per instance", 6);
