import { notYetCommand } from "../cli/not-yet.js";

export const reproduceCommand = () => notYetCommand("reproduce", "Generate and run reproduction tests", 6);
