// The agentless normalizer's member-level pieces against the whole-file computation: random
// edits inside classes of real sympy files (testdata/sympy-files.json.gz), of class-heavy
// standard-library modules of the host's python3 and of synthetic classes full of the cases the
// stripping treats by context (test/support/agentless-member-edits.ts: the edits, often two per
// file, the reference and what is compared). A patched file's model (its changed regions
// re-rendered per class member or method statement, per class head, per top-level statement or
// as the whole file, whichever the model could show safe) must give the whole file's unparsed
// and stripped texts, functions and "only adds functions" answer exactly.
import { describe, expect, it } from "vitest";
import { runPythonCheck } from "../../test/support/python-check.js";
import { MEMBER_EDITS_CHECK } from "../../test/support/agentless-member-edits.js";
import { readGzipJson, type RealFilesRow } from "../../test/support/grouping-cases.js";
import { AGENTLESS_WORKER_MODEL } from "./agentless-worker-model.js";

interface CheckResult {
  cases: number;
  levels: Record<string, number>;
  why: Record<string, number>;
  kinds: Record<string, number>;
  mismatches: { file: string; kind: string; level: string; problems: string[] }[];
}

const runCheck = (request: object): Promise<CheckResult> =>
  runPythonCheck<CheckResult>(AGENTLESS_WORKER_MODEL + MEMBER_EDITS_CHECK, request);

/** Whether a level means only parts of a class or function were re-rendered: members, or a
 * head with its first members (a method's head: a docstring or def line edit). */
const partial = (level: string): boolean => level.split("+").every((l) => l === "member" || l === "head");

/** Edit kinds of the cases whose changed regions were all re-rendered per member or head. */
const memberLevelKinds = (r: CheckResult): Set<string> =>
  new Set(
    Object.keys(r.kinds)
      .filter((k) => partial(k.split(":")[1]!))
      .map((k) => k.split(":")[0]!),
  );

const partialCount = (r: CheckResult): number =>
  Object.entries(r.levels)
    .filter(([level]) => partial(level))
    .reduce((n, [, count]) => n + count, 0);

// Every member's text sliced from its class's one rendering against rendering it alone.
const SLICES_CHECK = `
def slices_check(texts):
    compared, differ = 0, []
    for name, content in texts.items():
        try:
            tree = ast.parse(content)
        except Exception:
            continue
        for stmt in tree.body:
            if not isinstance(stmt, DEF_TYPES):
                continue
            rendered = Rendered(stmt)
            if rendered.text != ast.unparse(stmt):
                differ.append(name + ": whole " + stmt.name)

            def walk(node, depth):
                # (a docstring is written as part of the head, not as a member)
                for member in node.body[1:] if is_docstring(node.body[0]) else node.body:
                    nonlocal compared
                    compared += 1
                    if rendered.of(member) != rendered_member(member, depth + 1):
                        differ.append("%s: %s.%d" % (name, node.name, node.body.index(member)))
                    if isinstance(node, ast.ClassDef) and isinstance(member, DEF_TYPES):
                        walk(member, depth + 1)
            walk(stmt, 0)
    return {"compared": compared, "differ": differ[:20]}


request = json.loads(sys.stdin.read())
texts = dict(request["files"])
for name in request["stdlib"]:
    import sysconfig
    with open(os.path.join(sysconfig.get_paths()["stdlib"], name), encoding="utf-8") as f:
        texts["stdlib:" + name] = f.read()
print(json.dumps(slices_check(texts)))
`;

describe("agentless normalizer: member-level pieces = the whole-file computation", () => {
  it("slices a class's or function's one rendering into exactly its members' own renderings", async () => {
    const rows = readGzipJson<RealFilesRow[]>(new URL("testdata/sympy-files.json.gz", import.meta.url));
    const files = Object.fromEntries(rows.flatMap((r) => Object.entries(r.files).map(([p, t]) => [`sympy:${p}`, t])));
    const stdlib = [
      "argparse.py",
      "fractions.py",
      "enum.py",
      "dataclasses.py",
      "configparser.py",
      "_pydecimal.py",
      "ast.py",
    ];
    const r = await runPythonCheck<{ compared: number; differ: string[] }>(AGENTLESS_WORKER_MODEL + SLICES_CHECK, {
      files,
      stdlib,
    });
    expect(r.differ).toEqual([]);
    expect(r.compared).toBeGreaterThan(3000);
  }, 120_000);

  it("on random edits inside classes of real sympy and standard-library files", async () => {
    const rows = readGzipJson<RealFilesRow[]>(new URL("testdata/sympy-files.json.gz", import.meta.url));
    const files = Object.fromEntries(rows.flatMap((r) => Object.entries(r.files).map(([p, t]) => [`sympy:${p}`, t])));
    const stdlib = ["argparse.py", "fractions.py", "enum.py", "dataclasses.py", "configparser.py", "_pydecimal.py"];
    const r = await runCheck({ files, stdlib, edits: 12, seed: 11, synthetic: 0 });
    console.log(`real files: ${r.cases} edits, levels ${JSON.stringify(r.levels)}, why ${JSON.stringify(r.why)}`);
    expect(r.mismatches).toEqual([]);
    expect(r.cases).toBeGreaterThan(150);
    // most edits inside classes are modelled per member; the fallbacks are exercised too
    expect(partialCount(r)).toBeGreaterThan(r.cases * 0.3);
    expect((r.levels.class ?? 0) + (r.levels.file ?? 0)).toBeGreaterThan(10);
    const kinds = memberLevelKinds(r);
    for (const kind of ["line", "comment", "add_member"]) expect(kinds, kind).toContain(kind);
    // new top-level statements between two others are read on their own; after a class's
    // changed last member too; a member's or statement's new text that does not parse alone
    // is read with its neighbours
    expect(Object.keys(r.kinds).filter((k) => k.startsWith("gap:") && k.includes("between")).length).toBeGreaterThan(0);
    expect(r.why["trailing:after class"] ?? 0).toBeGreaterThan(0);
    expect(Object.keys(r.why).filter((k) => k.includes(" widened:")).length).toBeGreaterThan(0);
    expect(kinds.size).toBeGreaterThanOrEqual(10);
  }, 600_000);

  it("on random edits of synthetic classes: string statements after blocks, reshaped members, new docstrings", async () => {
    const r = await runCheck({ files: {}, stdlib: [], edits: 20, seed: 5, synthetic: 80 });
    console.log(`synthetic files: ${r.cases} edits, levels ${JSON.stringify(r.levels)}, why ${JSON.stringify(r.why)}`);
    expect(r.mismatches).toEqual([]);
    expect(r.cases).toBeGreaterThan(1000);
    const kinds = memberLevelKinds(r);
    for (const kind of [
      "string_after_block",
      "reshape",
      "string_edit",
      "new_docstring",
      "docstring_only",
      "swap_members",
    ])
      expect(kinds, kind).toContain(kind);
    // two edits in one file: both regions re-rendered on their own
    expect(r.levels["member+statement"] ?? 0).toBeGreaterThan(10);
    // a top-level class's head re-rendered with its first members only
    const heads = Object.keys(r.kinds).filter((k) => k.endsWith(":head"));
    for (const kind of ["class_docstring", "class_line"]) expect(heads, kind).toContain(`${kind}:head`);
  }, 600_000);
});
