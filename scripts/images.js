#!/usr/bin/env node
// The image build step of a gcp deploy (.github/workflows/deploy-environment.yml):
//   node scripts/images.js info <env>         -> {"stack":"gcp","registry":"...","repository":"google_artifact_registry_repository.<id>"}
//                                               (repository: from the synthesized stack in cdktf.out; run `npm run synth` first)
//   node scripts/images.js build <env> <file> -> docker build + push of every workload to the environment's
//                                               Artifact Registry repository, then writes {"<workload>":"sha256:..."} to <file>
// The deploy then synthesizes with HEXPROPERTY_IMAGE_DIGESTS=<file> (environments/image-digests.ts).
// A portable environment prints {"stack":"portable"} and builds nothing.
process.env.CHECKPOINT_DISABLE = "1";
require("./ts-hook");
const { execFileSync } = require("node:child_process");
const { existsSync, readFileSync, writeFileSync } = require("node:fs");
const { join, resolve } = require("node:path");

const ROOT = resolve(__dirname, "..");

function fail(message) {
  process.stderr.write(`images: ${message}\n`);
  process.exit(1);
}

function environmentOf(name) {
  const { loadEnvironments } = require("../environments");
  const { Naming } = require("../constructs/core/context");
  const { imageRegistry } = require("../constructs/microservices/gcp");
  const env = loadEnvironments({ only: [name] })[0];
  if (!env) fail(`no environment "${name}"`);
  if (env.stack !== "gcp") return { env, stack: env.stack };
  const registry = imageRegistry(env.gcp.region, env.gcp.projectId, new Naming(env.name));
  return { env, stack: "gcp", registry, workloads: Object.keys(env.gcp.imageDigests) };
}

function repositoryAddress(env) {
  const outdir = process.env.CDKTF_OUTDIR || join(ROOT, "cdktf.out");
  const file = join(outdir, "stacks", `hexproperty-${env.name}`, "cdk.tf.json");
  if (!existsSync(file)) return undefined;
  const ids = Object.keys(JSON.parse(readFileSync(file, "utf8")).resource?.google_artifact_registry_repository ?? {});
  return ids.length === 1 ? `google_artifact_registry_repository.${ids[0]}` : undefined;
}

const [command, name, out] = process.argv.slice(2);
if (!name || (command !== "info" && command !== "build") || (command === "build" && !out)) fail("usage: node scripts/images.js info <env> | build <env> <digests file>");
const target = environmentOf(name);
if (command === "info") {
  process.stdout.write(`${JSON.stringify(target.stack === "gcp" ? { stack: "gcp", registry: target.registry, repository: repositoryAddress(target.env) } : { stack: target.stack })}\n`);
} else {
  if (target.stack !== "gcp") fail(`environment "${name}" is on the ${target.stack} stack: its images are portable.images, not built here`);
  const tag = process.env.GITHUB_SHA || execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  const digests = {};
  for (const workload of target.workloads) {
    const ref = `${target.registry}/${workload}:${tag}`;
    execFileSync("docker", ["build", "-f", "services/Dockerfile", "--build-arg", `SERVICE=${workload}`, "-t", ref, "."], { cwd: ROOT, stdio: "inherit" });
    execFileSync("docker", ["push", ref], { cwd: ROOT, stdio: "inherit" });
    const repoDigest = execFileSync("docker", ["inspect", "--format", "{{index .RepoDigests 0}}", ref], { encoding: "utf8" }).trim();
    const digest = repoDigest.split("@")[1];
    if (!/^sha256:[a-f0-9]{64}$/.test(digest || "")) fail(`no digest for ${ref} after the push (docker inspect said "${repoDigest}")`);
    digests[workload] = digest;
  }
  writeFileSync(out, `${JSON.stringify(digests, null, 2)}\n`);
  process.stdout.write(`images: ${Object.keys(digests).length} pushed to ${target.registry}; digests in ${out}\n`);
}
