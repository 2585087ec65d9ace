import { notYetCommand } from "../cli/not-yet.js";

export const rewardCommand = () => notYetCommand("reward", "Compute the SWE-RL reward", 5);
