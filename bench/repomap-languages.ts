// Multilingual repo maps (src/repomap/map-code.ts) against universal-ctags, on real repos.
//
// Needs `ctags` (Debian: apt-get install universal-ctags; measured with 5.9.0) and git dirs of
// the repos (bare is fine; on the swerl dev machines the search tool's `fetch github:owner/name`
// prints one). Then:
//   npx vite-node bench/repomap-languages.ts <gitDir>:<family> [<gitDir>:<family> ...]
// e.g. /work/.mirror/jqlang+jq/repo:c /work/.mirror/gin-gonic+gin/repo:go /work/.mirror/google+gson/repo:java
//
// For each repo at HEAD: every source file of the family (tests included, vendored code not)
// is mapped by us and tagged by ctags. A definition is (file, name, start line, end line) of
// the kinds both list (table below; ctags' local definitions, inside functions, are left out,
// as our map leaves them out). When ctags gives no end for one definition (Go interface methods)
// name and start line are compared, and the count is printed. Agreement = definitions in both with the same end line / the
// definitions either lists. For languages whose ctags parser gives no end line (Rust,
// JavaScript in 5.9) only names and start lines are compared, and the line says so.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mapCommitCode } from "../src/repomap/map-code.js";
import type { RepoMap } from "../src/repomap/types.js";
import { LANGUAGE_FAMILIES, type LanguageFamily } from "../src/treesitter/languages.js";

// ctags kind → our kind, per family (kinds absent here are not compared).
const KINDS: Record<string, Record<string, string>> = {
  c: { function: "function", struct: "struct", union: "union", enum: "enum" },
  cpp: { function: "function", struct: "struct", union: "union", enum: "enum", class: "class" },
  go: { func: "function", struct: "struct", interface: "interface", type: "type", methodSpec: "function" },
  java: { class: "class", interface: "interface", enum: "enum", method: "function", annotation: "interface" },
  rust: {
    function: "function",
    method: "function",
    struct: "struct",
    enum: "enum",
    interface: "trait",
    union: "union",
  },
  js: { class: "class", method: "function", function: "function" },
  ts: { class: "class", method: "function", function: "function", interface: "interface", enum: "enum" },
  php: { class: "class", interface: "interface", trait: "trait", function: "function" },
  ruby: { class: "class", module: "module", method: "function", singletonMethod: "function" },
};
// Our kinds that count as each compared kind (methods are functions here).
const OURS: Record<string, string> = { method: "function" };
// ctags scopes of local definitions: their parents are functions.
const LOCAL_SCOPES = new Set(["function", "func", "method", "member", "prototype"]);

interface Tag {
  name: string;
  path: string;
  line: number;
  end?: number;
  kind: string;
  scope?: string;
  scopeKind?: string;
  typeref?: string;
}

function ctagsOf(dir: string, files: string[]): Tag[] {
  const list = join(dir, ".ctags-files");
  writeFileSync(list, files.join("\n") + "\n");
  const r = spawnSync("ctags", ["--output-format=json", "--fields=+neKZ{typeref}", "-L", list, "-f", "-"], {
    cwd: dir,
    maxBuffer: 1 << 30,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`ctags failed: ${r.stderr}`);
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Tag)
    .filter((t) => (t as { _type?: string })._type === "tag");
}

const key = (path: string, name: string, line: number) => `${path}\t${name}\t${line}`;
const baseName = (name: string) => name.split(/::|\./).at(-1)!;

/** The compared definitions of ctags: key → end line (undefined when ctags gives none). */
function referenceDefs(tags: Tag[], family: string): Map<string, number | undefined> {
  const kinds = KINDS[family]!;
  // C: `typedef struct {…} name;` ctags names the struct __anonN; we name it by the typedef.
  const anonName = new Map<string, string>();
  for (const t of tags) {
    const m = t.kind === "typedef" ? /^(struct|union|enum):(__anon\w+)$/.exec(t.typeref ?? "") : null;
    if (m) anonName.set(`${t.path}\t${m[2]}`, t.name);
  }
  // Java: ctags also tags an enum constant with a body (`DEFAULT() {`) as a method; it is none.
  const enumConstants = new Set(tags.filter((t) => t.kind === "enumConstant").map((t) => key(t.path, t.name, t.line)));
  const out = new Map<string, number | undefined>();
  for (const t of tags) {
    if (!kinds[t.kind] || (t.scopeKind && LOCAL_SCOPES.has(t.scopeKind))) continue;
    if (t.kind === "method" && enumConstants.has(key(t.path, t.name, t.line))) continue;
    let name = t.name;
    if (name.startsWith("__anon")) {
      const typedef = anonName.get(`${t.path}\t${name}`);
      if (!typedef) continue;
      name = typedef;
    }
    out.set(key(t.path, name, t.line), t.end);
  }
  return out;
}

function ourDefs(map: RepoMap): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of map.files) {
    if (!f.code) continue;
    for (const c of f.code.classes) {
      if (c.kind !== "impl") out.set(key(f.path, baseName(c.name), c.start_line), c.end_line);
      for (const m of c.methods) out.set(key(f.path, baseName(m.name), m.start_line), m.end_line);
    }
    for (const fn of f.code.functions) out.set(key(f.path, baseName(fn.name), fn.start_line), fn.end_line);
  }
  void OURS;
  return out;
}

async function benchRepo(gitDir: string, family: LanguageFamily): Promise<void> {
  const t0 = performance.now();
  const map = await mapCommitCode(gitDir, "HEAD", family);
  const mapMs = performance.now() - t0;
  const files = map.files.filter((f) => f.code).map((f) => f.path);
  const dir = mkdtempSync(join(tmpdir(), "repomap-lang-"));
  try {
    const tar = spawnSync("sh", ["-c", `git --git-dir="${gitDir}" archive HEAD | tar -x -C "${dir}"`]);
    if (tar.status !== 0) throw new Error(`git archive failed: ${tar.stderr}`);
    const c0 = performance.now();
    const ref = referenceDefs(ctagsOf(dir, files), family);
    const ctagsMs = performance.now() - c0;
    const ours = ourDefs(map);
    const withEnds = [...ref.values()].some((e) => e !== undefined);
    let same = 0,
      noEnd = 0;
    const onlyRef: string[] = [],
      onlyOurs: string[] = [],
      endDiff: string[] = [];
    for (const [k, end] of ref) {
      if (!ours.has(k)) onlyRef.push(k);
      else if (withEnds && end !== undefined && ours.get(k) !== end)
        endDiff.push(`${k}\tctags ${end} ours ${ours.get(k)}`);
      else {
        same++;
        if (withEnds && end === undefined) noEnd++;
      }
    }
    for (const k of ours.keys()) if (!ref.has(k)) onlyOurs.push(k);
    const union = same + onlyRef.length + onlyOurs.length + endDiff.length;
    const bytes = map.stats.ms;
    console.log(
      `${gitDir} (${family}): files ${map.stats.files}, source files ${files.length}, definitions ours ${ours.size} ctags ${ref.size}, ` +
        `agreement ${((100 * same) / union).toFixed(2)}% (${same}/${union}; ${withEnds ? "names, start and end lines" : "names and start lines only: ctags gives no end"}), ` +
        `only ctags ${onlyRef.length}, only ours ${onlyOurs.length}, end differs ${endDiff.length}` +
        (noEnd ? ` (${noEnd} agreeing on name and start only: ctags gave no end)` : "") +
        "; " +
        `map ${Math.round(mapMs)} ms (parse ${bytes.parse} ms, ${(files.length / (bytes.parse / 1000)).toFixed(0)} files/s), ctags ${Math.round(ctagsMs)} ms`,
    );
    const show = (label: string, items: string[]) => {
      for (const s of items.slice(0, 8)) console.log(`  ${label}\t${s}`);
    };
    show("only ctags", onlyRef);
    show("only ours", onlyOurs);
    show("end differs", endDiff);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error(
    "usage: vite-node bench/repomap-languages.ts <gitDir>:<family> ...  (families: " +
      LANGUAGE_FAMILIES.join(", ") +
      ")",
  );
  process.exit(2);
}
for (const arg of args) {
  const at = arg.lastIndexOf(":");
  const family = arg.slice(at + 1) as LanguageFamily;
  if (at < 0 || !LANGUAGE_FAMILIES.includes(family)) throw new Error(`"${arg}": expected <gitDir>:<family>`);
  await benchRepo(arg.slice(0, at), family);
}
