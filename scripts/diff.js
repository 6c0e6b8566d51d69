#!/usr/bin/env node
// `npm run diff -- <stack...>`: what the pull-request workflow runs, locally.
//  1. synthesize every environment (`node scripts/synth.js`; the policy pack runs there);
//  2. per stack, in dependency order: `terraform init -backend=false` + `terraform validate`
//     with the real providers from the Terraform registry, then `cdktf diff <stack>`;
//  3. with --markdown <file>: one pull-request comment with the plans of every
//     environment's stacks side by side (platform, then workloads).
// Usage:
//   npm run diff -- hexproperty-dev [hexproperty-dev-platform ...]
//   npm run diff -- --all [--markdown plan.md]
//   node scripts/diff.js --order <environment>   # the environment's stacks in deploy order (from manifest.json)
// Fails with one clear line when terraform cannot reach the registry.
"use strict";
const { spawnSync } = require("child_process");
const { readFileSync, writeFileSync } = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const OUTDIR = path.resolve(ROOT, process.env.CDKTF_OUTDIR || "cdktf.out");
const ENV = { ...process.env, CHECKPOINT_DISABLE: "1" };

class DiffError extends Error {}

/** Lines of terraform's output that mean the registry (or a provider mirror) was not reachable. */
const UNREACHABLE = /could not connect to registry|failed to request discovery document|no such host|dial tcp|i\/o timeout|connection refused|TLS handshake timeout|Failed to query available provider packages/i;

/** Stack name -> its dependencies, from the synthesized manifest.json. */
function readManifest(outdir = OUTDIR) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  } catch (error) {
    throw new DiffError(`no synthesized app in ${outdir} (${error.code || error.message}); run npm run synth first`);
  }
  return Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) => [name, { dependencies: s.dependencies || [], dir: path.join(outdir, s.workingDirectory) }]));
}

/** `names` and everything they depend on, dependencies first; ties in name order. */
function deployOrder(stacks, names) {
  const order = [];
  const visiting = new Set();
  const visit = (name) => {
    if (order.includes(name)) return;
    if (!stacks[name]) throw new DiffError(`unknown stack "${name}"; stacks: ${Object.keys(stacks).sort().join(", ")}`);
    if (visiting.has(name)) throw new DiffError(`stack dependency cycle through "${name}"`);
    visiting.add(name);
    for (const dependency of [...stacks[name].dependencies].sort()) visit(dependency);
    visiting.delete(name);
    order.push(name);
  };
  for (const name of [...names].sort()) visit(name);
  return order;
}

/** The stacks of one environment (`hexproperty-<env>` and what it depends on), in deploy order. */
function environmentStacks(stacks, environment) {
  return deployOrder(stacks, [`hexproperty-${environment}`]);
}

/** Environments of the app: the stacks nothing else depends on, by name. */
function environments(stacks) {
  const needed = new Set(Object.values(stacks).flatMap((s) => s.dependencies));
  return Object.keys(stacks).filter((n) => !needed.has(n)).sort().map((n) => n.replace(/^hexproperty-/, ""));
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, env: ENV, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw new DiffError(`${command} could not start (${result.error.code || result.error.message}); is it installed and on PATH?`);
  return result;
}

/** Why terraform could not reach the registry, in a few words, or undefined when that was not the problem. */
function unreachable(output) {
  if (!UNREACHABLE.test(output)) return undefined;
  const host = (output.match(/could not connect to ([A-Za-z0-9.-]+)/) || [])[1] || "registry.terraform.io";
  const cause = (output.match(/(no such host|i\/o timeout|connection refused|TLS handshake timeout|network is unreachable)/) || [])[1] || "unreachable";
  return `${host}: ${cause}`;
}

const firstLine = (text) => (text.split("\n").map((l) => l.replace(/[│╷╵]/g, "").trim()).find((l) => l && !/^Warning:|^Error:$/.test(l)) || "").slice(0, 240);

/** terraform init (no backend) + validate with the real providers; throws one line on failure. */
function validate(name, dir) {
  const init = run("terraform", [`-chdir=${dir}`, "init", "-input=false", "-backend=false", "-no-color"]);
  if (init.status !== 0) {
    const why = unreachable(`${init.stdout}\n${init.stderr}`);
    if (why) throw new DiffError(`terraform cannot reach the Terraform registry to install the providers of ${name} (${why}); run where registry.terraform.io is reachable, as CI does`);
    throw new DiffError(`terraform init of ${name} failed: ${firstLine(init.stderr || init.stdout)}`);
  }
  const check = run("terraform", [`-chdir=${dir}`, "validate", "-no-color"]);
  if (check.status !== 0) throw new DiffError(`terraform validate rejected ${name}: ${firstLine(check.stderr || check.stdout)}`);
}

/** `cdktf diff <stack>` on the synthesized app; returns its output and the plan's summary line. */
function diff(name) {
  const result = run(process.execPath, [require.resolve("cdktf-cli/bundle/bin/cdktf"), "diff", name, "--skip-synth", "--no-color", "--output", OUTDIR]);
  const output = `${result.stdout}${result.stderr}`;
  process.stdout.write(output);
  if (result.status !== 0) {
    const why = unreachable(output);
    if (why) throw new DiffError(`terraform cannot reach the Terraform registry (or the state backend) for ${name} (${why}); run where they are reachable, as CI does`);
    throw new DiffError(`cdktf diff ${name} failed: ${firstLine(result.stderr || result.stdout)}`);
  }
  const summary = (output.match(/(Plan: \d+ to add, \d+ to change, \d+ to destroy\.|No changes\.[^\n]*)/) || [])[1] || "see the plan";
  return { output, summary };
}

/** Text safe inside an HTML cell of a markdown table. */
const html = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "&#124;").replace(/\n/g, "<br>");

/**
 * One comment: a row per environment, a column per stack in deploy order
 * (platform, workloads), each cell the plan's summary and the plan folded,
 * within GitHub's 65,536-character limit for a comment.
 */
function markdown(stacks, plans) {
  const budget = Math.floor(56000 / Math.max(1, Object.keys(plans).length));
  const rows = environments(stacks).map((env) => {
    const cells = environmentStacks(stacks, env).map((name) => {
      const plan = plans[name];
      if (!plan) return `<b>${name}</b><br>not diffed`;
      let body = plan.output.replace(/\x1b\[[0-9;]*m/g, "").trim();
      if (body.length > budget) body = `... (first ${body.length - budget} characters cut; run npm run diff -- ${name})\n${body.slice(-budget)}`;
      return `<b>${name}</b><br>${html(plan.summary)}<details><summary>plan</summary><pre>${html(body)}</pre></details>`;
    });
    while (cells.length < 2) cells.unshift("—");
    return `| ${env} | ${cells.join(" | ")} |`;
  });
  return [
    "<!-- hexproperty-plan -->",
    "### cdktf diff of every stack",
    "",
    "| environment | platform stack (deployed first) | workload stack |",
    "|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

function main(argv) {
  if (argv[0] === "--order") {
    if (!argv[1]) throw new DiffError("--order needs an environment name, e.g. --order dev");
    process.stdout.write(`${environmentStacks(readManifest(), argv[1]).join("\n")}\n`);
    return;
  }
  const markdownAt = argv.indexOf("--markdown");
  const markdownFile = markdownAt >= 0 ? argv[markdownAt + 1] : undefined;
  if (markdownAt >= 0 && !markdownFile) throw new DiffError("--markdown needs a file name");
  const names = argv.filter((a, i) => !a.startsWith("--") && (markdownAt < 0 || i !== markdownAt + 1));
  const all = argv.includes("--all");
  if (!all && names.length === 0) throw new DiffError("name a stack (npm run diff -- hexproperty-dev) or pass --all");

  if (!argv.includes("--skip-synth")) {
    const synth = run(process.execPath, [path.join(ROOT, "scripts", "synth.js")], { stdio: ["ignore", "inherit", "inherit"] });
    if (synth.status !== 0) process.exit(synth.status || 1);
  }
  const stacks = readManifest();
  const selected = deployOrder(stacks, all ? Object.keys(stacks) : names).filter((n) => all || names.includes(n));
  const plans = {};
  for (const name of selected) {
    process.stderr.write(`==> ${name}: terraform init + validate, cdktf diff\n`);
    validate(name, stacks[name].dir);
    plans[name] = diff(name);
  }
  if (markdownFile) writeFileSync(markdownFile, markdown(stacks, plans));
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof DiffError)) throw error;
    process.stderr.write(`diff: ${error.message}\n`);
    process.exit(1);
  }
}

module.exports = { deployOrder, environmentStacks, environments, markdown, readManifest, unreachable };
