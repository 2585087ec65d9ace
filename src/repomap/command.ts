import { notYetCommand } from "../cli/not-yet.js";

export const repoMapCommand = () => notYetCommand("repo-map", "Print a tree-sitter repo map", 4);
