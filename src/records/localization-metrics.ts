// Localization against the gold patch: per instance, did any sampled set name a gold file
// (any-hit), did some set name them all (all-hit), how big the sets are. The gold files are the
// .py files the gold patch modifies (SWE-RL's check_loc_perf counts .py files only; in a repo of
// another language, its source files; files the
// patch creates are left out here: no listing can show them). Instances selected but never
// localized count as misses, so a rate never looks better for what was skipped.
import type { Instance } from "../dataset/schema.js";
import { goldPatchFiles, localizationSets, type LocalizationRecord } from "./locations.js";
import { instanceLanguage, isCodeLanguage, type InstanceLanguage } from "../language/instance-language.js";
import { languageOfPath } from "../treesitter/languages.js";

export interface InstanceLocalizationMetrics {
  instance_id: string;
  gold_files: string[];
  /** Samples recorded (the latest record of each). */
  samples: number;
  /** Distinct non-empty sets among them. */
  unique_sets: number;
  any_hit: boolean;
  all_hit: boolean;
  /** Mean files per sample (a failed sample counts as 0). */
  mean_set_size: number;
  /** Best and mean fraction of the gold files a set names (SWE-RL's max/avg coverage). */
  max_coverage: number;
  mean_coverage: number;
}

export interface LocalizationMetrics {
  /** Instances scored: those given that have gold files. */
  instances: number;
  any_hit_count: number;
  all_hit_count: number;
  any_hit: number;
  all_hit: number;
  /** Mean files per sample over every sample of the scored instances. */
  mean_set_size: number;
  mean_max_coverage: number;
  mean_coverage: number;
  /** Scored instances where no sample found any file. */
  no_files: number;
  /** Instances given but with no localization record (scored as misses). */
  not_localized: string[];
  /** Instances left out: the gold patch modifies no .py file (or is not a valid diff). */
  no_gold: string[];
  per_instance: InstanceLocalizationMetrics[];
}

/**
 * The .py files the gold patch modifies or deletes (null when the patch does not parse); for
 * a repo of another language, its family's source files (those its listing can show).
 */
export function goldLocalizationFiles(
  patch: string,
  language: InstanceLanguage | ((files: string[]) => InstanceLanguage) = "python",
): string[] | null {
  if (patch.trim() === "") return [];
  let files: string[];
  try {
    files = goldPatchFiles(patch);
  } catch {
    return null;
  }
  const lang = typeof language === "function" ? language(files) : language;
  return isCodeLanguage(lang)
    ? files.filter((p) => languageOfPath(p, lang) !== undefined)
    : files.filter((p) => p.endsWith(".py"));
}

const rate = (n: number, d: number): number => (d === 0 ? 0 : n / d);

export function scoreInstance(
  instanceId: string,
  gold: readonly string[],
  sets: readonly string[][],
): InstanceLocalizationMetrics {
  const goldSet = new Set(gold);
  const coverage = sets.map((files) => rate(new Set(files.filter((f) => goldSet.has(f))).size, goldSet.size));
  const unique = new Set(sets.filter((s) => s.length > 0).map((s) => JSON.stringify(s)));
  return {
    instance_id: instanceId,
    gold_files: [...gold],
    samples: sets.length,
    unique_sets: unique.size,
    any_hit: sets.some((files) => files.some((f) => goldSet.has(f))),
    all_hit: sets.some((files) => gold.every((g) => files.includes(g))),
    mean_set_size: rate(
      sets.reduce((n, s) => n + s.length, 0),
      sets.length,
    ),
    max_coverage: coverage.length ? Math.max(...coverage) : 0,
    mean_coverage: rate(
      coverage.reduce((a, b) => a + b, 0),
      coverage.length,
    ),
  };
}

export function localizationMetrics(
  records: Iterable<LocalizationRecord>,
  instances: readonly Instance[],
): LocalizationMetrics {
  const setsById = localizationSets(records);
  const per: InstanceLocalizationMetrics[] = [];
  const notLocalized: string[] = [];
  const noGold: string[] = [];
  let samples = 0,
    files = 0;
  for (const inst of instances) {
    const gold = goldLocalizationFiles(inst.patch, (files) => instanceLanguage(inst, files));
    if (gold === null || gold.length === 0) {
      noGold.push(inst.instance_id);
      continue;
    }
    const sets = setsById.get(inst.instance_id) ?? [];
    if (sets.length === 0) notLocalized.push(inst.instance_id);
    per.push(scoreInstance(inst.instance_id, gold, sets));
    samples += sets.length;
    files += sets.reduce((n, s) => n + s.length, 0);
  }
  const anyHit = per.filter((m) => m.any_hit).length;
  const allHit = per.filter((m) => m.all_hit).length;
  return {
    instances: per.length,
    any_hit_count: anyHit,
    all_hit_count: allHit,
    any_hit: rate(anyHit, per.length),
    all_hit: rate(allHit, per.length),
    mean_set_size: rate(files, samples),
    mean_max_coverage: rate(
      per.reduce((s, m) => s + m.max_coverage, 0),
      per.length,
    ),
    mean_coverage: rate(
      per.reduce((s, m) => s + m.mean_coverage, 0),
      per.length,
    ),
    no_files: per.filter((m) => m.samples > 0 && m.mean_set_size === 0).length,
    not_localized: notLocalized,
    no_gold: noGold,
    per_instance: per,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** A few lines for a command's summary or the report. */
export function formatLocalizationMetrics(m: LocalizationMetrics): string {
  const lines = [
    `Localization vs gold (.py files the gold patch modifies), ${m.instances} instances:`,
    `  any-hit ${pct(m.any_hit)} (${m.any_hit_count}/${m.instances}), all-hit ${pct(m.all_hit)} (${m.all_hit_count}/${m.instances}), ` +
      `mean set size ${m.mean_set_size.toFixed(2)}, coverage max ${m.mean_max_coverage.toFixed(3)} / mean ${m.mean_coverage.toFixed(3)}`,
  ];
  if (m.no_files) lines.push(`  ${m.no_files} instance(s) where no sample found a file`);
  if (m.not_localized.length) lines.push(`  not localized (scored as misses): ${m.not_localized.join(", ")}`);
  if (m.no_gold.length) lines.push(`  left out (no gold .py file): ${m.no_gold.join(", ")}`);
  const misses = m.per_instance.filter((p) => !p.any_hit && p.samples > 0).map((p) => p.instance_id);
  if (misses.length)
    lines.push(`  no hit: ${misses.slice(0, 10).join(", ")}${misses.length > 10 ? `, … (${misses.length})` : ""}`);
  return lines.join("\n") + "\n";
}
