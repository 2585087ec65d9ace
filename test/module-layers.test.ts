// The layer rule of src/ (docs/architecture.md), checked over the real import graph: every
// relative import of every module (type-only and dynamic imports included) goes to the same
// folder, or to a lower layer, or (in an open layer) to a sibling folder; no module reaches
// itself through its imports; nothing in src/ imports test support; every folder has a layer.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/paths.js";

/**
 * The layers, lowest first. A module may import its own folder and any lower layer; in an
 * open layer also the other folders of its layer (the cycle check keeps those one-way), in a
 * closed one not (the stages never import each other: what they share is below them). Every
 * `src/<folder>/command.ts` is a CLI command and belongs to the top layer wherever it lives.
 */
interface Layer {
  name: string;
  folders: string[];
  closed?: boolean;
}
const LAYERS: Layer[] = [
  { name: "base", folders: ["util", "log"] },
  {
    name: "plumbing",
    folders: [
      "store",
      "config",
      "git",
      "repo",
      "docker",
      "treesitter",
      "pyast",
      "dataset",
      "demo",
      "spec",
      "grading",
      "testbed",
      "model",
      "reward",
      "normalize",
      "repomap",
      "cache",
      "language",
    ],
  },
  { name: "records", folders: ["records"] },
  { name: "stage support", folders: ["images", "stage-common"] },
  {
    name: "stages",
    folders: ["localize", "repair", "reproduce", "regress", "validate", "rerank", "evaluate", "merge"],
    closed: true,
  },
  { name: "report", folders: ["report"] },
  { name: "analysis", folders: ["compare", "ablate"], closed: true },
  { name: "run", folders: ["run", "slurm"] },
  { name: "cli", folders: ["cli"] },
];

function layerOf(srcPath: string): Layer | undefined {
  const parts = srcPath.split("/");
  if (parts.length === 2 && parts[1] === "command.ts") return LAYERS.at(-1);
  return LAYERS.find((l) => l.folders.includes(parts[0]!));
}

/** One cycle of the graph as [a, b, …, a], or [] when there is none. */
function findCycle(graph: Map<string, string[]>): string[] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (n: string): string[] => {
    state.set(n, "open");
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === "open") return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const c = visit(m);
        if (c.length) return c;
      }
    }
    stack.pop();
    state.set(n, "done");
    return [];
  };
  for (const n of [...graph.keys()].sort()) {
    if (!state.has(n)) {
      const c = visit(n);
      if (c.length) return c;
    }
  }
  return [];
}

const srcDir = join(repoRoot, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "testdata" ? [] : sourceFiles(p);
    return /\.[cm]?ts$/.test(e.name) && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** src-relative path → the src-relative paths (or "outside:<path>") it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(srcDir)) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((s) => s.startsWith("."))
      .map((s) => {
        const abs = resolve(dirname(file), s).replace(/\.(c|m)?js$/, ".$1ts");
        const rel = relative(srcDir, abs);
        return rel.startsWith("..") ? `outside:${relative(repoRoot, abs)}` : rel;
      });
    graph.set(relative(srcDir, file), [...new Set(targets)]);
  }
  return graph;
}

const graph = importGraph();
const layerName = (l: Layer | undefined) => l?.name ?? "no layer";

/** Every import that breaks the layer rule, as "from → to: why". */
function layerViolations(g: Map<string, string[]>): string[] {
  const bad: string[] = [];
  for (const [from, targets] of g) {
    const a = layerOf(from);
    for (const to of targets) {
      if (to.startsWith("outside:")) {
        bad.push(`${from} → ${to.slice(8)}: outside src/`);
        continue;
      }
      const b = layerOf(to);
      const ia = a ? LAYERS.indexOf(a) : -1,
        ib = b ? LAYERS.indexOf(b) : -1;
      const sameFolder = from.split("/")[0] === to.split("/")[0];
      if (sameFolder) continue;
      if (ib > ia) bad.push(`${from} (${layerName(a)}) → ${to} (${layerName(b)}): upward`);
      else if (ib === ia && a?.closed) bad.push(`${from} → ${to}: across folders of the closed layer ${a.name}`);
    }
  }
  return bad;
}

describe("module layers (docs/architecture.md)", () => {
  it("finds the modules and their imports", () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(graph.get("cli/commands.cts")!.length).toBeGreaterThan(15);
  });

  it("gives every folder of src/ a layer", () => {
    const folders = [...new Set([...graph.keys()].map((f) => f.split("/")[0]!))];
    expect(folders.filter((f) => f.endsWith(".ts") || layerOf(`${f}/x.ts`) === undefined)).toEqual([]);
  });

  it("has no import from a lower layer to a higher one, or across a closed layer's folders", () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it("has no import cycle", () => {
    const internal = new Map([...graph].map(([f, ts]) => [f, ts.filter((t) => graph.has(t))]));
    expect(findCycle(internal)).toEqual([]);
  });

  it("reports an upward edge and a cycle when there is one (the checker itself)", () => {
    const withEdges = new Map(graph);
    withEdges.set("store/run-store.ts", [...graph.get("store/run-store.ts")!, "cli/main.ts"]);
    withEdges.set("localize/stage.ts", [
      ...graph.get("localize/stage.ts")!,
      "repair/stage.ts",
      "outside:test/helpers/paths.ts",
    ]);
    expect(layerViolations(withEdges).sort()).toEqual(
      [
        "store/run-store.ts (plumbing) → cli/main.ts (cli): upward",
        "localize/stage.ts → repair/stage.ts: across folders of the closed layer stages",
        "localize/stage.ts → test/helpers/paths.ts: outside src/",
      ].sort(),
    );
    const cyclic = new Map(graph);
    cyclic.set("util/input-error.ts", [...graph.get("util/input-error.ts")!, "store/run-store.ts"]);
    expect(findCycle(cyclic).at(-1)).toBe(findCycle(cyclic)[0]);
    expect(findCycle(cyclic)).toContain("util/input-error.ts");
    expect(LAYERS.indexOf(layerOf("cli/main.ts")!)).toBeGreaterThan(LAYERS.indexOf(layerOf("store/run-store.ts")!));
    expect(layerOf("validate/command.ts")!.name).toBe("cli");
    expect(
      findCycle(
        new Map([
          ["a.ts", ["b.ts"]],
          ["b.ts", ["c.ts"]],
          ["c.ts", ["a.ts"]],
        ]),
      ),
    ).toEqual(["a.ts", "b.ts", "c.ts", "a.ts"]);
    expect(
      findCycle(
        new Map([
          ["a.ts", ["b.ts"]],
          ["b.ts", []],
        ]),
      ),
    ).toEqual([]);
  });
});
