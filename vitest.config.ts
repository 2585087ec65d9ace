import { configDefaults, defineConfig } from "vitest/config";
import { DurationSequencer } from "./test/support/vitest/duration-sequencer.js";

// The engine-level container tests run twice: on Docker (the default socket) and on Podman's
// Docker-compatible socket (scripts/setup-podman.sh starts it); `--project docker` or
// `--project podman` picks one.
const PODMAN_SOCKET = process.env.SWERL_PODMAN_SOCKET ?? "/run/podman/podman.sock";
const ON_BOTH_ENGINES = [
  "src/docker/container.test.ts",
  "src/docker/containment.test.ts",
  "src/docker/engine-info.test.ts",
  "src/docker/cleanup.test.ts",
  "src/testbed/testbed.test.ts",
];
// Files that spend minutes waiting and almost no CPU (a 320 s model answer). They run in a pool
// of their own (one worker thread) beside the two forks, from the start, instead of holding a
// fork idle: the forks pool and the threads pool run at the same time.
const WAITING = ["src/model/long-generation.test.ts"];

export default defineConfig({
  // src/cli/*.cts (CommonJS for start-up time) are TypeScript too; vite's default leaves them out.
  esbuild: { include: /\.(m?ts|cts|[jt]sx)$/ },
  test: {
    // Docker and git work is slow on 2 cores; no test may hang CI though.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 }, threads: { maxThreads: 1, minThreads: 1 } },
    // Longest files first (committed whole-file times): no long file starts last.
    sequence: { sequencer: DurationSequencer },
    reporters: ["default", "json", "./test/support/vitest/timeline-reporter.ts"],
    outputFile: { json: ".vitest/report.json" },
    projects: [
      {
        extends: true,
        test: {
          name: "docker",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...WAITING],
        },
      },
      {
        extends: true,
        test: {
          name: "podman",
          include: ON_BOTH_ENGINES,
          env: { DOCKER_HOST: `unix://${PODMAN_SOCKET}`, SWERL_TEST_ENGINE: "podman" },
        },
      },
      { extends: true, test: { name: "waiting", include: WAITING, pool: "threads" } },
    ],
  },
});
