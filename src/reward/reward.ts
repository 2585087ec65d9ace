// The SWE-RL reward (facebookresearch/swe-rl, src/swerl/core/reward.py): per changed file, the
// SequenceMatcher ratio between the predicted and the oracle line diff; the mean over the
// union of changed files; 1.0 when neither side changes anything; -1 on a format error.
import { isRename, parsePatchSet, patchedFilePath } from "./patch-set.js";
import { pyStrip } from "./py-str.js";
import { pySplitLines } from "../util/py-splitlines.js";
import { applySearchReplace, extractThoughtSolution, FormatError, parseSearchReplace } from "./search-replace.js";
import { sequenceRatio } from "./sequence-matcher.js";
import { unifiedDiff } from "./unified-diff.js";

export interface ChangeSimilarity {
  path: string;
  predChange: string;
  oracleChange: string;
  similarity: number;
}

export interface RewardResult {
  reward: number;
  /** Per file of the union, oracle's files first (SWE-RL iterates a set; its order is arbitrary). */
  similarities?: ChangeSimilarity[];
  thought?: string;
  answer?: string;
  /** Why the sample is a format error (reward -1). */
  error?: string;
}

type Contents = Readonly<Record<string, string>>;

/** difflib.unified_diff(old.splitlines(), new.splitlines(), "old", "new", lineterm="", n) without its 2 header lines. */
export function generateUnifiedDiff(
  oldCode: string,
  newCode: string,
  nContext = 3,
  oldLines?: readonly string[],
): string {
  if (oldCode === newCode) return ""; // equal line lists: difflib yields no hunk, not even headers
  const lines = unifiedDiff(oldLines ?? pySplitLines(oldCode), pySplitLines(newCode), {
    fromfile: "old",
    tofile: "new",
    lineterm: "",
    n: nContext,
  });
  return lines.slice(2).join("\n");
}

/** path → line diff of old vs new content, for the paths in `newContent` that change. */
export function getNormalizedPatch(codeContext: Contents, newContent: Contents): Map<string, string> {
  const patches = new Map<string, string>();
  for (const [path, content] of Object.entries(newContent)) {
    const patch = generateUnifiedDiff(Object.hasOwn(codeContext, path) ? codeContext[path] : "", content);
    if (patch) patches.set(path, patch);
  }
  return patches;
}

/** Similarity per path of the union; 0 where either side is empty (no reward for "no change"). */
export function computeChangeSimilarities(pred: Map<string, string>, oracle: Map<string, string>): ChangeSimilarity[] {
  const paths = [...oracle.keys(), ...[...pred.keys()].filter((p) => !oracle.has(p))];
  return paths.map((path) => {
    const predChange = pred.get(path) ?? "";
    const oracleChange = oracle.get(path) ?? "";
    // ratio() of equal non-empty strings is 2n / 2n, exactly 1.0
    const similarity =
      predChange === "" || oracleChange === ""
        ? 0.0
        : predChange === oracleChange
          ? 1.0
          : sequenceRatio(predChange, oracleChange, { autojunk: false });
    return { path, predChange, oracleChange, similarity };
  });
}

function meanReward(similarities: ChangeSimilarity[]): RewardResult {
  if (similarities.length === 0) return { reward: 1.0, similarities }; // both sides change nothing
  let sum = 0;
  for (const s of similarities) sum += s.similarity;
  return { reward: sum / similarities.length, similarities };
}

/** Reward of predicted new contents against the oracle's (SWE-RL's calculate_reward), in [0, 1]. */
export function calculateReward(
  codeContext: Contents,
  oracleNewContent: Contents,
  predNewContent: Contents,
): RewardResult {
  const oracle = getNormalizedPatch(codeContext, oracleNewContent);
  const pred = getNormalizedPatch(codeContext, predNewContent);
  return meanReward(computeChangeSimilarities(pred, oracle));
}

/** Thought, solution and predicted new contents of an output in SWE-RL's format; throws FormatError. */
function parseOutput(
  codeContext: Contents,
  output: string,
): { thought: string; answer: string; predNewContent: Record<string, string> } {
  const { thought, answer } = extractThoughtSolution(output);
  const edits = parseSearchReplace(answer);
  if (edits.size === 0) throw new FormatError("No valid search blocks found");
  return { thought, answer, predNewContent: applySearchReplace(codeContext, edits) };
}

/** Why `output` is a format error for SWE-RL's search/replace reward (reward -1), or null when it is not. */
export function searchReplaceFormatError(codeContext: Contents, output: string): string | null {
  try {
    parseOutput(codeContext, output);
    return null;
  } catch (err) {
    if (err instanceof FormatError) return err.message;
    throw err;
  }
}

/**
 * The search/replace reward against one oracle, for scoring many outputs (the samples of one
 * instance): the oracle's line diffs and the original files' lines are computed once. The
 * inputs must not change afterwards. score(output) equals calculateSearchReplaceReward.
 */
export class SearchReplaceRewardTarget {
  private oracle: Map<string, string> | undefined;
  private readonly oldLines = new Map<string, string[]>();

  constructor(
    readonly codeContext: Contents,
    readonly oracleNewContent: Contents,
  ) {}

  private oldContent(path: string): string {
    return Object.hasOwn(this.codeContext, path) ? this.codeContext[path] : "";
  }

  private lineDiff(path: string, newContent: string): string {
    const old = this.oldContent(path);
    if (old === newContent) return "";
    let lines = this.oldLines.get(path);
    if (!lines) this.oldLines.set(path, (lines = pySplitLines(old)));
    return generateUnifiedDiff(old, newContent, 3, lines);
  }

  /** path → line diff of the oracle (getNormalizedPatch of the oracle's new contents). */
  oraclePatches(): Map<string, string> {
    if (!this.oracle) {
      this.oracle = new Map();
      for (const [path, content] of Object.entries(this.oracleNewContent)) {
        const patch = this.lineDiff(path, content);
        if (patch) this.oracle.set(path, patch);
      }
    }
    return this.oracle;
  }

  score(output: string): RewardResult {
    let parsed;
    try {
      parsed = parseOutput(this.codeContext, output);
    } catch (err) {
      if (err instanceof FormatError) return { reward: -1.0, error: err.message };
      throw err;
    }
    const oracle = this.oraclePatches();
    const pred = new Map<string, string>();
    for (const [path, content] of Object.entries(parsed.predNewContent)) {
      // the oracle's new content gives the oracle's diff: no need to diff it again
      const same = Object.hasOwn(this.oracleNewContent, path) && this.oracleNewContent[path] === content;
      const patch = same ? (oracle.get(path) ?? "") : this.lineDiff(path, content);
      if (patch) pred.set(path, patch);
    }
    return { ...meanReward(computeChangeSimilarities(pred, oracle)), thought: parsed.thought, answer: parsed.answer };
  }
}

/** Reward of a model output in SWE-RL's think/solution + SEARCH/REPLACE format; -1 on a format error. */
export function calculateSearchReplaceReward(
  codeContext: Contents,
  oracleNewContent: Contents,
  output: string,
): RewardResult {
  return new SearchReplaceRewardTarget(codeContext, oracleNewContent).score(output);
}

/**
 * path → hunk text of each file of a unified diff (SWE-RL's get_filelevel_diff): binary files
 * skipped, renames get a "rename from X to Y" header, and a diff that does not parse gives {}.
 */
export function getFileLevelDiff(patchText: string): Map<string, string> {
  const result = new Map<string, string>();
  let files;
  try {
    files = parsePatchSet(patchText);
  } catch {
    return result;
  }
  for (const file of files) {
    if (file.isBinaryFile) continue;
    let header = "";
    let path: string;
    if (isRename(file)) {
      const source = file.sourceFile!.startsWith("a/") ? file.sourceFile!.slice(2) : file.sourceFile!;
      const target = file.targetFile!.startsWith("b/") ? file.targetFile!.slice(2) : file.targetFile!;
      header = `rename from ${source} to ${target}`;
      path = source;
    } else {
      path = patchedFilePath(file);
    }
    const body = file.hunks.map((h) => pyStrip(h.text)).join("\n");
    result.set(path, pyStrip(header + "\n" + body));
  }
  return result;
}

/** Reward of predicted unified diffs against oracle diffs, compared per file (SWE-RL's calculate_reward_unidiff). */
export function calculateUnifiedDiffReward(
  oraclePatches: string | readonly string[],
  predPatches: string | readonly string[],
): RewardResult {
  const collect = (patches: string | readonly string[]) => {
    const merged = new Map<string, string>();
    for (const text of typeof patches === "string" ? [patches] : patches) {
      for (const [path, diff] of getFileLevelDiff(text)) merged.set(path, diff);
    }
    return merged;
  };
  return meanReward(computeChangeSimilarities(collect(predPatches), collect(oraclePatches)));
}
