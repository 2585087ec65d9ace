// The localization prompt, word for word as SWE-RL has it (facebookresearch/swe-rl,
// src/swerl/agentless_mini/utils/prompts.py: LOCALIZATION; localize.py: get_message). One
// user message, no system prompt (Agentless Mini's localize sends none). Greedy (one sample
// per instance): n = 5, indent 4, the listing in order. Sampled (more than one): n drawn from
// 2..5, indent 2 or 4, every directory's entries shuffled; here each draw comes from a seed,
// the instance and the sample index, so a run is reproducible and its samples differ.
import { renderCodeListing } from "../repomap/code-render.js";
import { renderStructure, type FilterOptions } from "../repomap/render.js";
import type { RepoMap } from "../repomap/types.js";
import type { ChatMessage } from "../model/types.js";
import { seededRandom } from "../model/oracle.js";
import { pyStrip } from "../reward/py-str.js";
import { hashValue } from "../store/hash.js";

export const LOCALIZATION_TEMPLATE = `Please look through a given GitHub issue and repository structure and provide a list of files that one would need to edit or look at to solve the issue.

### GitHub Problem Description ###
{problem_statement}

###

### Repository Structure ###
{structure}


###

Only provide the full path and return at most {n} files. The returned files should be separated by new lines ordered by most to least important and wrapped with \`\`\`. For example:

\`\`\`
most/important/file1.xx
less/important/file2.yy
least/important/file3.zz
\`\`\``;

/** SWE-RL's listing filters: tests and non-.py files left out, except for pytest's own repo. */
export const listingFilters = (repo: string): FilterOptions => ({
  pyOnly: true,
  excludeTests: repo !== "pytest-dev/pytest",
});

/** Python's str.format of the template's three fields, in one pass (braces in the issue stay as they are), then strip(). */
export function localizationPrompt(problemStatement: string, structure: string, n: number): string {
  const fields: Record<string, string> = {
    problem_statement: problemStatement,
    structure: pyStrip(structure),
    n: String(n),
  };
  return pyStrip(LOCALIZATION_TEMPLATE.replace(/\{(problem_statement|structure|n)\}/g, (_, f: string) => fields[f]!));
}

export const localizationMessages = (prompt: string): ChatMessage[] => [{ role: "user", content: prompt }];

export const promptHash = (messages: readonly ChatMessage[]): string => hashValue(messages);

export interface PromptSettings {
  greedy: boolean;
  /** At most this many files asked for. */
  n: number;
  /** Spaces per level of the listing. */
  indent: 2 | 4;
  /** Seed of the listing's shuffle; null for the greedy listing (in order). */
  shuffleSeed: number | null;
}

/**
 * The settings of sample `sample` of an instance. One sample per instance is greedy (n =
 * maxFiles, 5 by default); with more, every sample draws n from 2..maxFiles, an indent of 2
 * or 4 and a shuffle seed (as SWE-RL: `randomize = num_samples > 1`).
 */
export function promptSettings(o: {
  seed: number;
  instanceId: string;
  sample: number;
  samples: number;
  maxFiles: number;
}): PromptSettings {
  if (o.samples <= 1) return { greedy: true, n: o.maxFiles, indent: 4, shuffleSeed: null };
  const random = seededRandom(o.seed, o.instanceId, "localize-prompt", o.sample);
  const low = Math.min(2, o.maxFiles);
  const n = low + Math.floor(random() * (o.maxFiles - low + 1));
  const indent = random() < 0.5 ? 2 : 4;
  const shuffleSeed = Math.floor(random() * 2 ** 32);
  return { greedy: false, n, indent, shuffleSeed };
}

/** The user prompt of one sample: the issue and the listing of the repository at base_commit. */
export function buildLocalizationPrompt(
  map: RepoMap,
  repo: string,
  problemStatement: string,
  settings: PromptSettings,
): string {
  const shuffle = settings.shuffleSeed === null ? {} : { shuffle: settings.shuffleSeed };
  // A code map (another language): its family's listing rules (code-listing.ts), the same layout.
  if (map.language)
    return localizationPrompt(
      problemStatement,
      renderCodeListing(map, { family: map.language, indent: settings.indent, ...shuffle }),
      settings.n,
    );
  const structure = renderStructure(map, {
    ...listingFilters(repo),
    indent: settings.indent,
    ...(settings.shuffleSeed === null ? {} : { shuffle: settings.shuffleSeed }),
  });
  return localizationPrompt(problemStatement, structure, settings.n);
}
