// The oracle policy: a deterministic stand-in for a model, built from each instance's gold
// patch, for the demo, tests and checking a setup end to end without a GPU. Its name is always
// "oracle" so reports say so. Per (instance, stage, sample index, seed) it draws one uniform
// number that picks the answer's variant: format error, no-op, wrong edit, or correct, with
// the configured rates; the same inputs always give the same answer.
import { createHash } from "node:crypto";
import { goldEdits, renderAnswer, renderBlocks, type GoldEdits } from "./oracle-edits.js";
import { FORMAT_ERRORS, formatErrorAnswer, noopBlocks, wrongEditBlocks } from "./oracle-noise.js";
import type { ModelProvider, ModelRequest, ModelResult } from "./types.js";

export interface OracleGold {
  /** The gold patch (unified diff). */
  patch: string;
  /** Original content (at base_commit) of every file the patch modifies or deletes. */
  files: Record<string, string>;
}

export type OracleLookup = (instanceId: string) => OracleGold | undefined | Promise<OracleGold | undefined>;

export interface OracleRates {
  wrong_edit_rate: number;
  format_error_rate: number;
  noop_rate: number;
  seed: number;
}

export interface OracleAnswerContext {
  req: ModelRequest;
  gold: OracleGold;
  edits: GoldEdits;
  /** Seeded uniform numbers in [0, 1), specific to this (instance, stage, sample). */
  random: () => number;
}

/** Builds the answer text for a stage the oracle does not know (e.g. reproduction tests). */
export type OracleAnswerBuilder = (ctx: OracleAnswerContext) => string;

export const LOCALIZE_STAGES = new Set(["localize", "localization"]);
export const REPAIR_STAGES = new Set(["repair"]);

/** Uniform numbers from sha256(seed, instance, stage, sample, counter): stable across machines. */
export function seededRandom(...parts: Array<string | number>): () => number {
  const base = parts.join("\u0000");
  let counter = 0;
  return () => createHash("sha256").update(`${base}\u0000${counter++}`).digest().readUIntBE(0, 6) / 2 ** 48;
}

/** Rough token count (about 4 characters a token); the oracle has no tokenizer of its own. */
const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

export class OracleProvider implements ModelProvider {
  readonly kind = "oracle" as const;
  readonly name = "oracle";
  private readonly edits = new Map<string, Promise<{ gold: OracleGold; edits: GoldEdits } | undefined>>();

  constructor(
    private readonly lookup: OracleLookup,
    private readonly rates: OracleRates,
    private readonly stageAnswers: Record<string, OracleAnswerBuilder> = {},
  ) {
    const { wrong_edit_rate: w, format_error_rate: f, noop_rate: n } = rates;
    for (const [key, v] of Object.entries({ wrong_edit_rate: w, format_error_rate: f, noop_rate: n })) {
      if (!(v >= 0 && v <= 1)) throw new Error(`model.oracle.${key} must be in [0, 1] (got ${v})`);
    }
    if (w + f + n > 1 + 1e-12) {
      throw new Error(
        `model.oracle: wrong_edit_rate + format_error_rate + noop_rate must be at most 1 (got ${w + f + n})`,
      );
    }
  }

  private instanceEdits(instanceId: string) {
    let entry = this.edits.get(instanceId);
    if (!entry) {
      entry = Promise.resolve(this.lookup(instanceId)).then((gold) =>
        gold ? { gold, edits: goldEdits(gold.patch, gold.files) } : undefined,
      );
      this.edits.set(instanceId, entry);
    }
    return entry;
  }

  async complete(req: ModelRequest): Promise<ModelResult> {
    const started = performance.now();
    const fail = (reason: "oracle_no_gold" | "oracle_unsupported_stage", message: string): ModelResult => ({
      ok: false,
      reason,
      message,
      latencyMs: performance.now() - started,
    });
    let found;
    try {
      found = await this.instanceEdits(req.instanceId);
    } catch (err) {
      return fail(
        "oracle_no_gold",
        `gold patch of ${req.instanceId} cannot be turned into edits: ${(err as Error).message}`,
      );
    }
    if (!found) return fail("oracle_no_gold", `no gold patch or original files for ${req.instanceId}`);
    const random = seededRandom(this.rates.seed, req.instanceId, req.stage, req.sampleIndex);
    let text: string;
    let variant: string;
    if (LOCALIZE_STAGES.has(req.stage)) {
      ({ text, variant } = this.localize(found.edits));
    } else if (REPAIR_STAGES.has(req.stage)) {
      ({ text, variant } = this.repair(req.instanceId, found.edits, random));
    } else if (this.stageAnswers[req.stage]) {
      text = this.stageAnswers[req.stage]({ req, gold: found.gold, edits: found.edits, random });
      variant = "stage_builder";
    } else {
      return fail(
        "oracle_unsupported_stage",
        `the oracle has no answer for stage "${req.stage}" (pass an answer builder for it)`,
      );
    }
    const prompt = req.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0);
    return {
      ok: true,
      text,
      usage: { prompt_tokens: prompt, completion_tokens: estimateTokens(text) },
      latencyMs: performance.now() - started,
      cached: false,
      finishReason: "stop",
      oracleVariant: variant,
    };
  }

  private localize(edits: GoldEdits): { text: string; variant: string } {
    const existing = Object.keys(edits.before);
    const files = existing.length > 0 ? existing : Object.keys(edits.after);
    const thought = "swerl oracle: these are the files the gold patch edits.";
    return { text: renderAnswer(thought, "```\n" + files.join("\n") + "\n```"), variant: "correct" };
  }

  private repair(instanceId: string, edits: GoldEdits, random: () => number): { text: string; variant: string } {
    const { format_error_rate: f, noop_rate: n, wrong_edit_rate: w } = this.rates;
    const u = random();
    const files = Object.keys(edits.after).join(", ") || "no file";
    const thought = (what: string) =>
      `swerl oracle (answers built from the gold patch of ${instanceId}): ${what} The change goes to ${files}.`;
    if (u < f) {
      const kind = FORMAT_ERRORS[Math.floor(random() * FORMAT_ERRORS.length)];
      return {
        text: formatErrorAnswer(kind, thought("a deliberately malformed answer."), edits.blocks),
        variant: `format_error:${kind}`,
      };
    }
    if (u < f + n) {
      return {
        text: renderAnswer(thought("a deliberate no-op (whitespace only)."), renderBlocks(noopBlocks(edits.blocks))),
        variant: "noop",
      };
    }
    if (u < f + n + w) {
      const wrong = wrongEditBlocks(edits.blocks);
      return {
        text: renderAnswer(thought(`a deliberately wrong edit (${wrong.how}).`), renderBlocks(wrong.blocks)),
        variant: "wrong_edit",
      };
    }
    return {
      text: renderAnswer(thought("the gold change."), renderBlocks(edits.blocks)),
      variant: edits.exact ? "correct" : "correct_inexact",
    };
  }
}
