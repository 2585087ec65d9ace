// `swerl images build|list|clean`: instance images for a dataset slice, and cleanup of the
// containers a run left behind.
import { Command } from "commander";
import pLimit from "p-limit";
import { parsePairs, parsePositiveInt } from "../cli/pairs.js";
import { addDatasetOptions, loadSelectedInstances, type DatasetOptions } from "../dataset/options.js";
import { dockerClient, ensureDockerAvailable } from "../docker/client.js";
import { instanceImageName } from "../spec/test-spec.js";
import { removeRunContainers, sweepOrphans } from "../docker/cleanup.js";
import { log } from "../log/logger.js";
import { startProgress } from "../log/progress.js";
import { buildInstanceImage, imageExists } from "./build.js";
import { demoImageDefaults } from "./prepare.js";
import { InputError } from "../util/input-error.js";

interface BuildOpts extends DatasetOptions {
  envImage?: string[];
  repoSource?: string[];
  namespace: string;
  maxWorkers: string;
  force?: boolean;
}

function buildCommand(): Command {
  return addDatasetOptions(new Command("build"))
    .description("Build instance images locally: an environment image + the repo at base_commit in /testbed")
    .option("--env-image <repo=image...>", "environment image per repo (bring your own, e.g. built offline)")
    .option("--repo-source <repo=url|path...>", "where to clone each repo from (default: GitHub)")
    .option("--namespace <ns>", 'image namespace ("none" for local names)', "swebench")
    .option("--max-workers <n>", "images built in parallel", "2")
    .option("--force", "rebuild images that exist")
    .action(async (o: BuildOpts) => {
      const docker = dockerClient();
      await ensureDockerAvailable(docker);
      const instances = await loadSelectedInstances(o);
      const defaults = await demoImageDefaults(o.dataset);
      const opts = {
        envImages: { ...defaults.envImages, ...parsePairs(o.envImage, "--env-image") },
        repoSources: { ...defaults.repoSources, ...parsePairs(o.repoSource, "--repo-source") },
        namespace: o.namespace,
        force: o.force,
      };
      const limit = pLimit(parsePositiveInt(o.maxWorkers, "--max-workers"));
      const progress = startProgress("images build", instances.length);
      let failed = 0;
      await Promise.all(
        instances.map((inst) =>
          limit(async () => {
            try {
              const r = await buildInstanceImage(docker, inst, opts);
              log.info(`${r.built ? "built" : "exists"} ${r.image}`, r.built ? { seconds: r.seconds } : undefined);
              progress.tick("ok");
            } catch (err) {
              failed++;
              log.error(`${inst.instance_id}: ${(err as Error).message}`);
              progress.tick("error");
            }
          }),
        ),
      );
      progress.stop();
      process.stdout.write(`${instances.length - failed} images ready, ${failed} failed\n`);
      if (failed) process.exitCode = 1;
    });
}

function listCommand(): Command {
  return addDatasetOptions(new Command("list"))
    .description("Show which instance images are present locally")
    .option("--namespace <ns>", 'image namespace ("none" for local names)', "swebench")
    .action(async (o: DatasetOptions & { namespace: string }) => {
      const docker = dockerClient();
      await ensureDockerAvailable(docker);
      for (const inst of await loadSelectedInstances(o)) {
        const name = instanceImageName(inst.instance_id, o.namespace);
        process.stdout.write(`${(await imageExists(docker, name)) ? "present" : "missing"}\t${name}\n`);
      }
    });
}

function cleanCommand(): Command {
  return new Command("clean")
    .description("Remove containers left by a run (--run R), or orphans of dead swerl processes (--orphans)")
    .option("--run <run-id>", "containers labelled with this run")
    .option("--orphans", "containers whose swerl process on this host is gone")
    .action(async (o: { run?: string; orphans?: boolean }) => {
      if (!o.run && !o.orphans) throw new InputError("images clean needs --run R or --orphans");
      const docker = dockerClient();
      await ensureDockerAvailable(docker);
      const removed = o.run ? await removeRunContainers(docker, o.run) : await sweepOrphans(docker);
      process.stdout.write(`removed ${removed} containers\n`);
    });
}

export function imagesCommand(): Command {
  return new Command("images")
    .description("Build, list and clean instance images")
    .addCommand(buildCommand())
    .addCommand(listCommand())
    .addCommand(cleanCommand());
}
