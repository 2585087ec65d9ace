import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../test/helpers/paths.js";
import { parse as parseYaml } from "yaml";
import { ConfigError, loadConfig, validateConfig } from "./load.js";
import { describeProfile, profileSummary } from "./profile.js";
import { samplingParams } from "../stage-common/sampling.js";

const dir = mkdtempSync(join(tmpdir(), "swerl-cfg-"));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("layered YAML configs", () => {
  it("ships the paper's settings", async () => {
    const c = await loadConfig([join(repoRoot, "configs", "swe-rl-paper.yaml")]);
    expect(c.repair.samples).toBe(500);
    expect(c.model.temperature).toBe(1.0);
    expect(c.reproduce.top_tests).toBe(30);
    expect(c.repair.max_input_tokens).toBe(60000);
    expect(c.dataset.path).toBe("princeton-nlp/SWE-bench_Verified");
    expect(c.profile).toBe("swe-rl");
    expect(c.localize.samples).toBe(500);
    expect(profileSummary(c).departures).toEqual({});
  });

  it("ships a demo config on the oracle provider", async () => {
    const c = await loadConfig([join(repoRoot, "configs", "demo.yaml")]);
    expect(c.model.provider).toBe("oracle");
  });

  it("merges files in order (objects merge, lists replace), then --set", async () => {
    const a = file(
      "a.yaml",
      "model:\n  base_urls: [http://127.0.0.1:1/v1, http://127.0.0.1:2/v1]\n  temperature: 0.5\nrepair:\n  samples: 10\n",
    );
    const b = file("b.yaml", "model:\n  base_urls: [http://127.0.0.1:3/v1]\n");
    const c = await loadConfig(
      [a, b],
      ["repair.samples=40", 'model.stop=["</solution>"]', "regress.model_filter=true"],
    );
    expect(c.model.base_urls).toEqual(["http://127.0.0.1:3/v1"]);
    expect(c.model.temperature).toBe(0.5);
    expect(c.repair.samples).toBe(40);
    expect(c.model.stop).toEqual(["</solution>"]);
    expect(c.regress.model_filter).toBe(true);
    expect(c.docker.namespace).toBe("swebench"); // default
  });

  it("names the file and key of a bad value, and rejects unknown keys", async () => {
    const bad = file("bad.yaml", "repair:\n  samples: -3\n");
    await expect(loadConfig([bad])).rejects.toThrow(new RegExp(`${bad}: repair.samples: .*`));
    const typo = file("typo.yaml", "repair:\n  sample: 3\n");
    await expect(loadConfig([typo])).rejects.toThrow(/repair: .*sample/);
    await expect(loadConfig([], ["repair.samples"])).rejects.toThrow(ConfigError);
    await expect(loadConfig([], ["model.provider=gpu"])).rejects.toThrow(/--set model.provider=gpu: model.provider/);
    const notYaml = file("broken.yaml", "a: [1, 2\n");
    await expect(loadConfig([notYaml])).rejects.toThrow(new RegExp(notYaml));
  });
});

describe("pipeline profiles", () => {
  const load = (yaml: string) => validateConfig(parseYaml(yaml) ?? {}, "test");

  it("swe-rl by default: the reference's behaviour, no departures", () => {
    const c = load("repair:\n  samples: 8\n");
    expect(c.profile).toBe("swe-rl");
    expect([
      c.model.system_prompt,
      c.repair.parser,
      c.repair.syntax_check,
      c.localize.parser,
      c.reproduce.verdict,
    ]).toEqual(["none", "strict", "strict", "strict", "strict"]);
    expect([c.reproduce.prompt, c.reproduce.sampling, c.reproduce.extraction]).toEqual([
      "agentless",
      "agentless",
      "agentless",
    ]);
    // SWE-RL's README: the same --num_samples for localization and repair
    expect(c.localize.samples).toBe(8);
    // Agentless Mini: unique location sets cycled, one --temperature; tests voted by Agentless's key
    expect([c.localize.sampling, c.repair.location_fill, c.repair.sampling, c.reproduce.normalize]).toEqual([
      "model",
      "cycle",
      "model",
      "agentless",
    ]);
    expect(profileSummary(c)).toEqual({ name: "swe-rl", departures: {} });
  });

  it("swerl turns the improvements on; agentless keeps 4 localization samples", () => {
    const s = load("profile: swerl\n");
    expect([
      s.model.system_prompt,
      s.repair.parser,
      s.repair.syntax_check,
      s.localize.parser,
      s.reproduce.verdict,
      s.reproduce.sampling,
    ]).toEqual(["swe-rl", "tolerant", "lenient", "tolerant", "lenient", "model"]);
    expect([s.regress.scope, s.regress.passing, s.rerank.rule]).toEqual([
      "touched",
      "passed_or_xfail",
      "swerl-tiebreak",
    ]);
    const a = load("profile: agentless\nrepair:\n  samples: 40\n");
    expect([a.localize.samples, a.rerank.rule, a.reproduce.top_tests]).toEqual([4, "agentless", 1]);
    // Agentless 1.5: 4 sets sampled at 0.8, each its own run of repair samples (greedy first)
    expect([a.localize.sampling, a.repair.location_fill, a.repair.sampling, a.reproduce.normalize]).toEqual([
      "agentless",
      "per_set",
      "agentless",
      "agentless",
    ]);
    expect([s.localize.sampling, s.repair.location_fill, s.repair.sampling, s.reproduce.normalize]).toEqual([
      "model",
      "cycle",
      "model",
      "canonical",
    ]);
  });

  it("explicit keys override the profile and are listed as departures", () => {
    const c = load(
      "profile: swe-rl\nrepair:\n  parser: tolerant\nmodel:\n  system_prompt: swe-rl\nlocalize:\n  samples: 2\n",
    );
    expect(c.repair.parser).toBe("tolerant");
    const d = profileSummary(c).departures;
    expect(Object.keys(d).sort()).toEqual(["localize.samples", "model.system_prompt", "repair.parser"]);
    expect(d["repair.parser"]).toEqual({ value: "tolerant", profile: "strict" });
    expect(describeProfile(profileSummary(c))).toMatch(
      /^profile swe-rl; departs: .*repair\.parser="tolerant" \(profile: "strict"\)/,
    );
  });

  it("an unknown profile is a config error", () => {
    expect(() => load("profile: paper\n")).toThrow(/profile: /);
  });
});

describe("greedy single samples", () => {
  it("a stage with one sample runs at temperature 0 unless model.greedy_single_sample is off", () => {
    const c = validateConfig({ model: { temperature: 0.7 } }, "test");
    expect(samplingParams(c.model, 1).temperature).toBe(0);
    expect(samplingParams(c.model, 4).temperature).toBe(0.7);
    expect(samplingParams({ ...c.model, greedy_single_sample: false }, 1).temperature).toBe(0.7);
  });
});
