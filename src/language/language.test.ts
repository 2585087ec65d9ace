import { describe, expect, it } from "vitest";
import { detectLanguage, instanceLanguage, specLanguage } from "./instance-language.js";
import { fenceTag, reproductionRunner } from "./profile.js";
import { multilingualTestCommand } from "../spec/env-prelude.js";

const inst = (repo: string, version = "1") => ({ repo, version });

describe("the language of an instance", () => {
  it("comes from the spec tables: Multilingual repos by their harness module, C++ and TypeScript repos named", () => {
    expect(specLanguage(inst("gin-gonic/gin"))).toBe("go");
    expect(specLanguage(inst("burntsushi/ripgrep"))).toBe("rust");
    expect(specLanguage(inst("axios/axios"))).toBe("js");
    expect(specLanguage(inst("vuejs/core"))).toBe("ts");
    expect(specLanguage(inst("jqlang/jq"))).toBe("c");
    expect(specLanguage(inst("fmtlib/fmt"))).toBe("cpp");
    expect(specLanguage(inst("google/gson"))).toBe("java");
    expect(specLanguage(inst("laravel/framework"))).toBe("php");
    expect(specLanguage(inst("jekyll/jekyll"))).toBe("ruby");
    expect(specLanguage(inst("django/django", "4.0"))).toBe("python");
    expect(specLanguage(inst("django/django", "0.1"))).toBe("python"); // a known Python repo, unknown version
    expect(specLanguage(inst("someone/else"))).toBeUndefined();
  });

  it("else from the files: the family with the most source files, Python on a tie or with none", () => {
    expect(detectLanguage(["a.go", "b.go", "c.py", "README.md"])).toBe("go");
    expect(detectLanguage(["src/lib.rs", "Cargo.toml"])).toBe("rust");
    expect(detectLanguage(["a.py", "b.js"])).toBe("python");
    expect(detectLanguage(["README.md", "setup.cfg"])).toBe("python");
    expect(detectLanguage(["x.h", "y.h", "z.cc"])).toBe("cpp"); // headers count for C++ beside C++ sources
    expect(detectLanguage(["x.h", "y.c"])).toBe("c");
    expect(detectLanguage(["a.ts", "b.tsx", "c.js"])).toBe("ts");
    expect(instanceLanguage(inst("django/django", "4.0"), ["a.go", "b.go"])).toBe("python");
    expect(instanceLanguage(inst("someone/else"), ["a.go", "b.go"])).toBe("go");
  });

  it("gives each language its fence tag and reproduction script kind", () => {
    expect(
      ["python", "go", "rust", "js", "ts", "c", "cpp", "java", "php", "ruby"].map((l) => fenceTag(l as never)),
    ).toEqual(["python", "go", "rust", "javascript", "typescript", "c", "cpp", "java", "php", "ruby"]);
    expect(reproductionRunner("python").run("t.py")).toBe("python t.py");
    expect(reproductionRunner("go").run("t.sh")).toBe("bash t.sh");
    expect(reproductionRunner("js")).toMatchObject({ extension: "js" });
    expect(reproductionRunner("ruby").run("t.rb")).toBe("ruby t.rb");
  });
});

describe("the regression command of a SWE-bench Multilingual instance", () => {
  it("is its spec's build steps and test commands, one a line; none for other repos", () => {
    expect(multilingualTestCommand({ instance_id: "x", repo: "gin-gonic/gin", version: "1805" })).toBe(
      'go test -v . -run "^Test.*Router"',
    );
    expect(multilingualTestCommand({ instance_id: "x", repo: "axios/axios", version: "5316" })).toBe(
      "npm install\nnpx mocha test/unit/adapters/http.js -R tap -g 'FormData'",
    );
    expect(multilingualTestCommand({ instance_id: "x", repo: "django/django", version: "4.0" })).toBeUndefined();
  });
});
