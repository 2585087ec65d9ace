// The embedded multilingual demo's repos (src/demo/benchmark-multilingual), in the shape of the
// SWE-bench Multilingual specs: each repo's whole suite runs with the language's standard
// runner and is graded by the harness's parser for it. Images are the offline toolchain images
// (scripts/build-toolchain-images.sh) plus the repo; `install` prebuilds in the image so an
// evaluation compiles only what the patches change. Offline, stdlib only (no modules, crates
// or npm packages): the images set GOPROXY=off / CARGO_NET_OFFLINE=true.
import type { MultilingualRepoSpecs } from "./multilingual-schema.js";

export const DEMO_MULTILINGUAL_REPO_SPECS: Readonly<Record<string, MultilingualRepoSpecs>> = {
  "swerl-demo/semver": {
    language: "go",
    logParser: "parse_log_gotest",
    versions: {
      "0.4": {
        docker_specs: { go_version: "1.19" },
        install: ["go test -count=1 -run '^$' ./..."],
        test_cmd: ["go test -v -count=1 ./..."],
      },
    },
  },
  "swerl-demo/tinycsv": {
    language: "rust",
    logParser: "parse_log_cargo",
    versions: {
      "0.2": {
        docker_specs: { rust_version: "1.63" },
        // The build directory outside the repo: /testbed stays clean without a .gitignore (npm
        // leaves .gitignore files out of the package, so the demo sources cannot rely on one).
        install: ["CARGO_TARGET_DIR=/root/target cargo test --no-run"],
        // cargo reports progress ("Running tests/x.rs", "Doc-tests") on stderr while the test
        // binaries write results on stdout: both into the one pipe keeps their order (apart,
        // a result line can be cut by a progress line and lost to the parser).
        test_cmd: ["CARGO_TARGET_DIR=/root/target cargo test --no-fail-fast 2>&1"],
      },
    },
  },
  "swerl-demo/querystr": {
    language: "javascript",
    logParser: "parse_log_tap",
    versions: {
      "1.3": {
        docker_specs: { node_version: "18" },
        test_cmd: ["node --test --test-reporter=tap test/"],
      },
    },
  },
};

/** The offline toolchain image each demo language's images are built on. */
export const DEMO_TOOLCHAIN_IMAGES: Readonly<Record<string, string>> = {
  go: process.env.SWERL_GO_IMAGE ?? "swerl/go:bookworm",
  rust: process.env.SWERL_RUST_IMAGE ?? "swerl/rust:bookworm",
  javascript: process.env.SWERL_NODE_IMAGE ?? "swerl/node:bookworm",
};
