import { describe, expect, it } from "vitest";
import { sharedPythonParser } from "../treesitter/python.js";
import { seededRandom } from "../util/seeded-random.js";
import { changedLineRegions, editsBetween } from "./text-edits.js";

const POOL = [
  "",
  "x = 1",
  "    return x",
  "def f(a):",
  "class A:",
  "    def g(self):",
  "        pass",
  "# note",
  "y = [1,",
  "  2]",
  "'''doc",
  "'''",
];

/** A random text of lines from POOL, and a copy with a few random line changes. */
function randomPair(random: () => number): [string, string] {
  const pick = () => POOL[Math.floor(random() * POOL.length)];
  const lines = Array.from({ length: 1 + Math.floor(random() * 40) }, pick);
  const changed = [...lines];
  const edits = Math.floor(random() * 5);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (changed.length + 1));
    const kind = random();
    if (kind < 0.33) changed.splice(at, 1);
    else if (kind < 0.66) changed.splice(at, 0, pick(), pick());
    else changed[Math.min(at, changed.length - 1)] = pick();
  }
  const end = (ls: string[]) => ls.join("\n") + (random() < 0.5 ? "\n" : "");
  return [end(lines), end(changed)];
}

/**
 * Apply the edits as tree-sitter sees them (each on the text the previous ones left): an edit's
 * new text sits in `after` shifted by what the edits before it in the text (applied later) add.
 */
function applyEdits(before: string, after: string): string {
  const edits = editsBetween(before, after);
  let text = before;
  edits.forEach((e, t) => {
    if (t > 0) expect(e.oldEndIndex).toBeLessThanOrEqual(edits[t - 1].startIndex);
    const shift = edits.slice(t + 1).reduce((sum, u) => sum + (u.newEndIndex - u.oldEndIndex), 0);
    const inserted = after.slice(e.startIndex + shift, e.newEndIndex + shift);
    text = text.slice(0, e.startIndex) + inserted + text.slice(e.oldEndIndex);
  });
  return text;
}

describe("edits between two texts", () => {
  it("line regions cover every difference and nothing else", () => {
    const random = seededRandom(7);
    for (let n = 0; n < 500; n++) {
      const [a, b] = randomPair(random).map((t) => t.split("\n"));
      let i = 0;
      let j = 0;
      const rebuilt: string[] = [];
      for (const [i1, i2, j1, j2] of changedLineRegions(a, b)) {
        expect(i1 - i).toBe(j1 - j); // the stretch before a region is equal on both sides
        for (let k = 0; k < i1 - i; k++) expect(a[i + k]).toBe(b[j + k]);
        rebuilt.push(...a.slice(i, i1), ...b.slice(j1, j2));
        i = i2;
        j = j2;
      }
      rebuilt.push(...a.slice(i));
      expect(rebuilt).toEqual(b);
    }
  });

  it("looking near a difference first finds the regions the full search finds", () => {
    const random = seededRandom(13);
    for (let n = 0; n < 500; n++) {
      const [a, b] = randomPair(random).map((t) => t.split("\n"));
      const full = changedLineRegions(a, b, 0);
      expect(changedLineRegions(a, b)).toEqual(full);
      expect(changedLineRegions(a, b, 2)).toEqual(full);
    }
  });

  it("applied one after another, the edits turn the old text into the new one", () => {
    const random = seededRandom(11);
    for (let n = 0; n < 500; n++) {
      const [before, after] = randomPair(random);
      expect(applyEdits(before, after)).toBe(after);
    }
  });

  it("an incremental parse with the edits gives the tree a full parse gives", () => {
    const parser = sharedPythonParser();
    const random = seededRandom(13);
    for (let n = 0; n < 300; n++) {
      const [before, after] = randomPair(random);
      const tree = parser.parse(before);
      for (const e of editsBetween(before, after)) tree.edit(e);
      const incremental = parser.parse(after, tree);
      const full = parser.parse(after);
      expect(incremental.rootNode.toString()).toBe(full.rootNode.toString());
      expect(incremental.rootNode.endPosition).toEqual(full.rootNode.endPosition);
    }
  });
});
