// Our SWE-bench Multilingual log parsers against the harness's own (SWE-bench 7a21e05,
// swebench/harness/log_parsers/{c,go,java,javascript,php,ruby,rust}.py), run once with python3
// on generated logs: each runner's real output format (from the dataset's eval_script test
// commands) and fuzzed variants (shuffled, noise, truncated, unicode, ANSI, duplicated names,
// odd whitespace, CRLF, empty). Expected status maps are insertion-ordered (Python dicts).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseLogKarma } from "./parsers-js.js";
import { parseLogCargo } from "./parsers-rust.js";
import { parserFor, PARSERS_BY_INSTANCE, PARSERS_BY_NAME, LATEST_PARSERS_BY_NAME } from "./parsers.js";
import type { StatusMap } from "./status.js";

interface Case {
  parser: string;
  format: string;
  kind: string;
  log: string;
  instance_id?: string | null;
  expected?: [string, string][];
  error?: string;
}

const cases = JSON.parse(
  gunzipSync(readFileSync(new URL("./testdata/multilingual-parsers.json.gz", import.meta.url))).toString("utf8"),
) as Case[];

// The 19 log_parser names of SWE-bench Multilingual's test split (300 rows).
const DATASET_PARSERS = [
  "parse_log_cargo",
  "parse_log_phpunit",
  "parse_log_gotest",
  "parse_log_rspec_transformed_json",
  "parse_log_karma",
  "parse_log_ant",
  "parse_log_maven",
  "parse_log_redis",
  "parse_log_ruby_unit",
  "parse_log_googletest",
  "parse_log_gradle_custom",
  "parse_log_jest",
  "parse_log_tap",
  "parse_log_jq",
  "parse_log_jekyll",
  "parse_log_micropython_test",
  "parse_log_vitest",
  "parse_log_immutable_js",
  "parse_log_doctest",
];

/** Entries in the order a JS object keeps them: integer-like names ("7") move first, as in any Record. */
const asRecordEntries = (pairs: [string, string][]): [string, string][] => Object.entries(Object.fromEntries(pairs));

function run(c: Case, latest: boolean): StatusMap {
  return parserFor(c.parser, latest, c.instance_id ?? undefined)(c.log);
}

describe("multilingual log parsers equal the harness's on committed reference outputs", () => {
  it("covers every dataset parser with enough cases", () => {
    const count = new Map<string, number>();
    for (const c of cases) count.set(c.parser, (count.get(c.parser) ?? 0) + 1);
    for (const name of DATASET_PARSERS) expect(count.get(name) ?? 0, name).toBeGreaterThanOrEqual(50);
    expect(cases.length).toBeGreaterThan(2400);
  });

  for (const latest of [false, true]) {
    it(`${latest ? "latest" : "v4.1"} rules: same status maps, values and order, or the same crash`, () => {
      const mismatches: string[] = [];
      for (const [i, c] of cases.entries()) {
        if (c.error) {
          let threw = false;
          try {
            run(c, latest);
          } catch {
            threw = true;
          }
          if (!threw) mismatches.push(`#${i} ${c.parser} (${c.kind}): harness raised ${c.error}, ours returned`);
          continue;
        }
        const ours = Object.entries(run(c, latest));
        const want = asRecordEntries(c.expected!);
        if (JSON.stringify(ours) !== JSON.stringify(want)) {
          mismatches.push(
            `#${i} ${c.parser} (${c.kind}): ${JSON.stringify(ours).slice(0, 300)} != ${JSON.stringify(want).slice(0, 300)}`,
          );
        }
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
    });
  }

  it("is registered under each dataset name in both rule sets", () => {
    for (const name of DATASET_PARSERS) {
      if (Object.hasOwn(PARSERS_BY_INSTANCE, name)) continue;
      expect(PARSERS_BY_NAME[name], name).toBeTypeOf("function");
      expect(LATEST_PARSERS_BY_NAME[name], name).toBe(PARSERS_BY_NAME[name]);
    }
    expect(() => parserFor("parse_log_jekyll", true)).toThrow(/instance id/);
    expect(() => parserFor("parse_log_jekyll", true, "jekyll__jekyll-1")).toThrow(/unknown instance id/);
  });

  it("control: the comparison catches a parser that differs (order, names, or statuses)", () => {
    const cargo = cases.filter((c) => c.parser === "parse_log_cargo" && (c.expected?.length ?? 0) > 1);
    // A subtly wrong cargo parser: JS whitespace instead of Python's strip, order reversed.
    const wrongOrder = (log: string) => Object.fromEntries(Object.entries(parseLogCargo(log)).reverse());
    const wrongStrip = (log: string) =>
      parseLogCargo(
        log
          .split("\n")
          .map((l) => l.trim())
          .join("\n"),
      );
    const differs = (f: (log: string) => StatusMap) =>
      cargo.filter((c) => JSON.stringify(Object.entries(f(c.log))) !== JSON.stringify(asRecordEntries(c.expected!)))
        .length;
    expect(differs(wrongOrder)).toBeGreaterThan(0);
    expect(differs(wrongStrip)).toBeGreaterThan(0);
    expect(differs(parseLogCargo)).toBe(0);
    // And a crash the harness has (karma closing a describe block that was never opened) is one here too.
    expect(() => parseLogKarma("Starting browser\n    a\n   b\n  c")).toThrow(/IndexError/);
  });
});
