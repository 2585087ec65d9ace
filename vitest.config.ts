import { defineConfig } from "vitest/config";

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

export default defineConfig({
  // src/cli/*.cts (CommonJS for start-up time) are TypeScript too; vite's default leaves them out.
  esbuild: { include: /\.(m?ts|cts|[jt]sx)$/ },
  test: {
    // Docker and git work is slow on 2 cores; no test may hang CI though.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ["default", "json"],
    outputFile: { json: ".vitest/report.json" },
    projects: [
      { extends: true, test: { name: "docker", include: ["src/**/*.test.ts", "test/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "podman",
          include: ON_BOTH_ENGINES,
          env: { DOCKER_HOST: `unix://${PODMAN_SOCKET}`, SWERL_TEST_ENGINE: "podman" },
        },
      },
    ],
  },
});
