import { notYetCommand } from "../cli/not-yet.js";

export const repairCommand = () => notYetCommand("repair", "Sample repair patches from the model", 5);
