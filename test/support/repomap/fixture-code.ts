// Hand-written source files per language, with the definitions their map must list
// ("kind name start-end", methods indented under their class). Line numbers: 1-based.
import type { CodeLanguage, LanguageFamily } from "../../../src/treesitter/languages.js";

export interface CodeFixture {
  path: string;
  family: LanguageFamily;
  language: CodeLanguage;
  source: string;
  expected: string[];
}

const src = (...lines: string[]): string => lines.join("\n") + "\n";

export const CODE_FIXTURES: CodeFixture[] = [
  {
    path: "src/jv.c",
    family: "c",
    language: "c",
    source: src(
      "#include <stdio.h>", // 1
      "typedef struct {", // 2
      "  int kind;", // 3
      "} jv;", // 4
      "struct node {", // 5
      "  struct node *next;", // 6
      "};", // 7
      "static int", // 8
      "*make(int a)", // 9
      "{", // 10
      "  return 0;", // 11
      "}", // 12
      "#ifdef X", // 13
      "enum color { RED, GREEN };", // 14
      "#endif", // 15
      "int proto(void);", // 16
    ),
    expected: ["struct jv 2-4", "struct node 5-7", "enum color 14-14", "function make 9-12"],
  },
  {
    path: "src/a.hpp",
    family: "cpp",
    language: "cpp",
    source: src(
      "namespace n {", // 1
      "template <class T>", // 2
      "class Box {", // 3
      " public:", // 4
      "  T get() const { return v; }", // 5
      "  void set(T x);", // 6
      "  struct Inner { int a; };", // 7
      " private:", // 8
      "  T v;", // 9
      "};", // 10
      "}  // namespace n", // 11
      "void n::Box<int>::set(int x) {", // 12
      "  auto f = [](int y) { return y; };", // 13
      "}", // 14
    ),
    expected: ["class Box 3-10", "  method get 5-5", "struct Inner 7-7", "function n::Box<int>::set 12-14"],
  },
  {
    path: "context.go",
    family: "go",
    language: "go",
    source: src(
      "package gin", // 1
      "", // 2
      "type Context struct {", // 3
      "\tkeys map[string]any", // 4
      "}", // 5
      "", // 6
      "type (", // 7
      "\tHandler interface {", // 8
      "\t\tServe(c *Context)", // 9
      "\t}", // 10
      "\tName string", // 11
      ")", // 12
      "", // 13
      "func (c *Context) Get(key string) any {", // 14
      "\tf := func() {}", // 15
      "\treturn c.keys[key]", // 16
      "}", // 17
      "", // 18
      "func New() *Context { return &Context{} }", // 19
      "", // 20
      "func (e *Engine[T]) Run() {", // 21
      "}", // 22
    ),
    expected: [
      "struct Context 3-5",
      "  method Get 14-17",
      "interface Handler 8-10",
      "  method Serve 9-9",
      "type Name 11-11",
      "function New 19-19",
      "method Engine.Run 21-22",
    ],
  },
  {
    path: "src/main/java/a/Gson.java",
    family: "java",
    language: "java",
    source: src(
      "package a;", // 1
      "", // 2
      "@Deprecated", // 3
      "public final class Gson {", // 4
      "  public Gson() {}", // 5
      "  @Override", // 6
      "  public String toString() {", // 7
      "    Runnable r = new Runnable() { public void run() {} };", // 8
      '    return "";', // 9
      "  }", // 10
      "  interface Factory { Object create(); }", // 11
      "  enum Policy {", // 12
      "    DEFAULT { int x() { return 1; } };", // 13
      "    int x() { return 0; }", // 14
      "  }", // 15
      "}", // 16
      "@interface Since { double value(); }", // 17
      "record Point(int x, int y) {}", // 18
    ),
    expected: [
      "class Gson 4-16",
      "  method Gson 5-5",
      "  method toString 7-10",
      "interface Factory 11-11",
      "  method create 11-11",
      "enum Policy 12-15",
      "  method x 14-14",
      "interface Since 17-17",
      "  method value 17-17",
      "record Point 18-18",
    ],
  },
  {
    path: "lib/core/Axios.js",
    family: "js",
    language: "javascript",
    source: src(
      "'use strict';", // 1
      "class Axios {", // 2
      "  constructor(config) {", // 3
      "    this.defaults = config;", // 4
      "  }", // 5
      "  handler = () => {};", // 6
      "  request(url) { return url; }", // 7
      "}", // 8
      "function create() {", // 9
      "  function inner() {}", // 10
      "}", // 11
      "export const merge = (a, b) => ({ ...a, ...b });", // 12
      "const utils = { bind() {} };", // 13
      "[1].forEach(function each() { function notListed() {} });", // 14
    ),
    expected: [
      "class Axios 2-8",
      "  method constructor 3-5",
      "  method handler 6-6",
      "  method request 7-7",
      "function create 9-11",
      "function merge 12-12",
    ],
  },
  {
    path: "src/index.ts",
    family: "ts",
    language: "typescript",
    source: src(
      "export interface Shape {", // 1
      "  area(): number;", // 2
      "}", // 3
      "export abstract class Base implements Shape {", // 4
      "  abstract area(): number;", // 5
      "  describe(): string {", // 6
      "    return `${this.area()}`;", // 7
      "  }", // 8
      "}", // 9
      "enum Kind { A, B }", // 10
      "namespace util {", // 11
      "  export function clamp(x: number): number { return x; }", // 12
      "}", // 13
    ),
    expected: [
      "interface Shape 1-3",
      "  method area 2-2",
      "class Base 4-9",
      "  method area 5-5",
      "  method describe 6-8",
      "enum Kind 10-10",
      "function clamp 12-12",
    ],
  },
  {
    path: "src/Foo.php",
    family: "php",
    language: "php",
    source: src(
      "<?php", // 1
      "namespace App;", // 2
      "interface Greets { public function greet(): string; }", // 3
      "trait Loud {", // 4
      "  public function shout() {}", // 5
      "}", // 6
      "final class Foo implements Greets {", // 7
      "  use Loud;", // 8
      "  public function greet(): string {", // 9
      "    $f = function () {};", // 10
      "    return 'hi';", // 11
      "  }", // 12
      "}", // 13
      "function helper() {}", // 14
    ),
    expected: [
      "interface Greets 3-3",
      "  method greet 3-3",
      "trait Loud 4-6",
      "  method shout 5-5",
      "class Foo 7-13",
      "  method greet 9-12",
      "function helper 14-14",
    ],
  },
  {
    path: "lib/foo.rb",
    family: "ruby",
    language: "ruby",
    source: src(
      "module Jekyll", // 1
      "  class Site < Base", // 2
      "    def process", // 3
      "      reset", // 4
      "    end", // 5
      "", // 6
      "    def self.build(x) = new(x)", // 7
      "    class << self", // 8
      "      def cache; end", // 9
      "    end", // 10
      "  end", // 11
      "  def self.env; end", // 12
      "end", // 13
      "def top_level; end", // 14
    ),
    expected: [
      "module Jekyll 1-13",
      "  method env 12-12",
      "class Site 2-11",
      "  method process 3-5",
      "  method build 7-7",
      "  method cache 9-9",
      "function top_level 14-14",
    ],
  },
  {
    path: "crates/core/flags.rs",
    family: "rust",
    language: "rust",
    source: src(
      "#[derive(Debug)]", // 1
      "pub struct Flags {", // 2
      "    a: bool,", // 3
      "}", // 4
      "impl Flags {", // 5
      "    pub fn new() -> Self {", // 6
      "        Flags { a: false }", // 7
      "    }", // 8
      "}", // 9
      "impl<T: Clone> From<T> for Flags {", // 10
      "    fn from(_: T) -> Self { Flags::new() }", // 11
      "}", // 12
      "pub trait Matcher {", // 13
      "    fn find(&self) -> bool;", // 14
      "}", // 15
      "enum Mode { Fast, Slow }", // 16
      "mod inner {", // 17
      "    pub fn helper() {}", // 18
      "}", // 19
      "#[cfg(test)]", // 20
      "mod tests {", // 21
      "    #[test]", // 22
      "    fn works() {}", // 23
      "}", // 24
      "fn main() {", // 25
      "    let f = |x: i32| x;", // 26
      "}", // 27
    ),
    expected: [
      "struct Flags 2-4",
      "impl Flags 5-9",
      "  method new 6-8",
      "impl From<T> for Flags 10-12",
      "  method from 11-11",
      "trait Matcher 13-15",
      "  method find 14-14",
      "enum Mode 16-16",
      "function helper 18-18",
      "function main 25-27",
    ],
  },
];
