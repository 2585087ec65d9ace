import { notYetCommand } from "../cli/not-yet.js";

export const gradeCommand = () => notYetCommand("grade", "Grade one test log against an instance", 3);
