import assert from "node:assert/strict";
import { test } from "node:test";
import { stringify } from "../src/index.js";

test("stringify encodes keys and values", () => {
  assert.equal(stringify({ q: "a b", "k&": "=" }), "q=a%20b&k%26=%3D");
});

test("stringify repeats keys of arrays", () => {
  assert.equal(stringify({ tag: ["x", "y"] }), "tag=x&tag=y");
});

test("stringify leaves out null and undefined", () => {
  assert.equal(stringify({ a: null, b: undefined, c: 0 }), "c=0");
});
