// Where a repository is cloned from: GitHub by default, or a URL or local path set per repo
// (config `repos: {owner/name: URL|PATH}`, or --repo-source owner/name=URL|PATH).
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export type RepoSources = Record<string, string>;

const REPO_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
export const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/|^[^/@:]+@[^/:]+:/; // scheme://… or user@host:path

export function checkRepoName(repo: string): void {
  if (!REPO_NAME.test(repo) || repo.includes("..")) {
    throw new Error(`repository name "${repo}" is not of the form owner/name`);
  }
}

/** The clone source for a repo: a URL, or an absolute path that must exist. */
export function repoSource(repo: string, sources: RepoSources = {}): string {
  checkRepoName(repo);
  const configured = sources[repo];
  if (configured === undefined) return `https://github.com/${repo}.git`;
  if (URL_LIKE.test(configured)) return configured;
  const path = resolve(configured);
  if (!existsSync(path)) throw new Error(`source of ${repo}: local path ${path} does not exist`);
  return path;
}

/** "owner/name=URL|PATH" values (e.g. repeated --repo-source flags) → sources. */
export function parseRepoSources(values: string[]): RepoSources {
  const sources: RepoSources = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    if (eq <= 0 || eq === value.length - 1) {
      throw new Error(`--repo-source "${value}": expected owner/name=URL or owner/name=PATH`);
    }
    const repo = value.slice(0, eq);
    checkRepoName(repo);
    sources[repo] = value.slice(eq + 1);
  }
  return sources;
}

/** A repo's folder name in caches: owner__name. */
export const repoFolder = (repo: string): string => repo.replace("/", "__");
