// What the prompts and the testbed need to know about each language beyond Python: the fence
// tag of code blocks, the repair prompt's example edit, and how a reproduction test is written
// and run. Compiled languages get a bash script (it may write and build a small program or a
// test file of the repo's own runner); languages with an interpreter in the testbed get a
// script of their own.
import type { LanguageFamily } from "../treesitter/languages.js";
import type { InstanceLanguage } from "./instance-language.js";

export interface ReproductionScriptKind {
  /** Fence tag the prompt asks for (and the extraction prefers). */
  fence: string;
  /** Other tags accepted for the same script. */
  aliases: readonly string[];
  /** The script file's extension. */
  extension: string;
  /** The command that runs the file (given relative to the repository root). */
  run: (file: string) => string;
  /** How the prompt names the script. */
  describe: string;
}

export interface LanguageProfile {
  /** Name in prompts ("Go", "Rust"...). */
  name: string;
  /** The code fence tag of the repair prompt's example and of strict parsing. */
  fence: string;
  /** The repair prompt's example edit: a path, the SEARCH lines, the REPLACE lines. */
  example: { path: string; search: string; replace: string };
  /** The line of the repair prompt's indentation advice. */
  indentedLine: string;
  reproduction: ReproductionScriptKind;
}

const bash = (tools: string): ReproductionScriptKind => ({
  fence: "bash",
  aliases: ["sh", "shell"],
  extension: "sh",
  run: (f) => `bash ${f}`,
  describe: `bash script (the toolchain is on PATH: ${tools}; it may write a small program or a test file and build or run it, removing what it wrote before it ends)`,
});

// node reads a .js file as an ES module when the nearest package.json says "type": "module".
const NODE_SCRIPT =
  'Node.js script (an ES module if the repository\'s package.json sets "type": "module", else CommonJS)';

const PROFILES: Record<LanguageFamily, LanguageProfile> = {
  c: {
    name: "C",
    fence: "c",
    example: {
      path: "src/util/math.c",
      search: "#include <stdio.h>",
      replace: "#include <math.h>\n#include <stdio.h>",
    },
    indentedLine: '        printf("%d\\n", x);',
    reproduction: bash("cc, make"),
  },
  cpp: {
    name: "C++",
    fence: "cpp",
    example: { path: "src/util/math.cc", search: "#include <vector>", replace: "#include <cmath>\n#include <vector>" },
    indentedLine: "        std::cout << x;",
    reproduction: bash("c++, cmake, make"),
  },
  go: {
    name: "Go",
    fence: "go",
    example: {
      path: "server/http/app.go",
      search: 'import (\n\t"net/http"\n)',
      replace: 'import (\n\t"math"\n\t"net/http"\n)',
    },
    indentedLine: "\t\tfmt.Println(x)",
    reproduction: bash("go"),
  },
  java: {
    name: "Java",
    fence: "java",
    example: {
      path: "src/main/java/com/example/App.java",
      search: "import java.util.List;",
      replace: "import java.util.List;\nimport java.util.Map;",
    },
    indentedLine: "        System.out.println(x);",
    reproduction: bash("java, javac, mvn or gradle"),
  },
  js: {
    name: "JavaScript",
    fence: "javascript",
    example: {
      path: "lib/server/app.js",
      search: "const http = require('http');",
      replace: "const http = require('http');\nconst math = require('./math');",
    },
    indentedLine: "        console.log(x);",
    reproduction: {
      fence: "javascript",
      aliases: ["js", "node"],
      extension: "js",
      run: (f) => `node ${f}`,
      describe: NODE_SCRIPT,
    },
  },
  ts: {
    name: "TypeScript",
    fence: "typescript",
    example: {
      path: "packages/server/src/app.ts",
      search: "import { createServer } from 'http'",
      replace: "import { createServer } from 'http'\nimport { sqrt } from './math'",
    },
    indentedLine: "        console.log(x)",
    // TypeScript sources are not runnable by node as they are: the test is a Node.js script (it may use the repo's build).
    reproduction: {
      fence: "javascript",
      aliases: ["js", "node"],
      extension: "js",
      run: (f) => `node ${f}`,
      describe: `${NODE_SCRIPT} (JavaScript; it may load the repo's built packages or run its test runner)`,
    },
  },
  php: {
    name: "PHP",
    fence: "php",
    example: {
      path: "src/Http/App.php",
      search: "use Foo\\Http\\Request;",
      replace: "use Foo\\Http\\Request;\nuse Foo\\Http\\Response;",
    },
    indentedLine: "        echo $x;",
    reproduction: {
      fence: "php",
      aliases: [],
      extension: "php",
      run: (f) => `php ${f}`,
      describe: "PHP script (it may require vendor/autoload.php)",
    },
  },
  ruby: {
    name: "Ruby",
    fence: "ruby",
    example: { path: "lib/server/app.rb", search: 'require "json"', replace: 'require "json"\nrequire "set"' },
    indentedLine: "        puts x",
    reproduction: {
      fence: "ruby",
      aliases: ["rb"],
      extension: "rb",
      run: (f) => `ruby ${f}`,
      describe: "Ruby script (it may add lib/ to the load path)",
    },
  },
  rust: {
    name: "Rust",
    fence: "rust",
    example: {
      path: "src/server/app.rs",
      search: "use std::collections::HashMap;",
      replace: "use std::collections::HashMap;\nuse std::fmt;",
    },
    indentedLine: '        println!("{}", x);',
    reproduction: bash("cargo, rustc; offline: no crate can be downloaded"),
  },
};

export const languageProfile = (family: LanguageFamily): LanguageProfile => PROFILES[family];

/** The fence tag of an instance's language ("python" for Python). */
export const fenceTag = (lang: InstanceLanguage): string => (lang === "python" ? "python" : PROFILES[lang].fence);

/** How an instance's reproduction tests are stored and run: Python's `python <file>.py`, else the language's script kind. */
export function reproductionRunner(lang: InstanceLanguage): Pick<ReproductionScriptKind, "extension" | "run"> {
  return lang === "python" ? { extension: "py", run: (f) => `python ${f}` } : PROFILES[lang].reproduction;
}
