import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "../src/index.js";

test("parse reads pairs", () => {
  assert.deepEqual({ ...parse("a=1&b=two") }, { a: "1", b: "two" });
});

test("parse drops a leading question mark", () => {
  assert.deepEqual({ ...parse("?x=y") }, { x: "y" });
});

test("parse collects repeated keys in an array", () => {
  assert.deepEqual({ ...parse("tag=x&tag=y&tag=z") }, { tag: ["x", "y", "z"] });
});

test("parse decodes percent escapes", () => {
  assert.deepEqual({ ...parse("q=caf%C3%A9%20au%20lait") }, { q: "café au lait" });
});

test("parse keeps malformed escapes", () => {
  assert.deepEqual({ ...parse("p=100%") }, { p: "100%" });
});

test("parse gives keys without a value the empty string", () => {
  assert.deepEqual({ ...parse("debug&x=1") }, { debug: "", x: "1" });
});

test("parse decodes valid escapes beside a malformed one", () => {
  assert.deepEqual({ ...parse("name=caf%C3%A9%zz&d=50%25%") }, { name: "café%zz", d: "50%%" });
});
