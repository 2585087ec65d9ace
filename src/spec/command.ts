import { notYetCommand } from "../cli/not-yet.js";

export const specCommand = () => notYetCommand("spec", "Write SWE-bench eval scripts and test directives", 3);
