#!/usr/bin/env node
// `npm run verify`: the real engines the registries here allow, on every stack.
//  1. synthesize every environment as shipped and flipped to the other stack;
//  2. Terraform's own checks on every stack: `terraform init` and `terraform validate`
//     offline, against schema-stub providers built from the pinned bindings
//     (scripts/verify/tfschema);
//  3. the Helm values we set checked against each chart's values.yaml (and
//     values.schema.json) at the pinned version, from the Go module proxy
//     (scripts/verify/chart-values.js); a chart the proxy does not serve is
//     reported as not checked;
//  4. a real kube-apiserver (scripts/verify/cluster.sh: etcd, kube-apiserver,
//     kube-controller-manager on 127.0.0.1, CRDs from the operators' packages);
//  5. every Kubernetes object of every portable environment applied with
//     server-side apply in stack order (platform, then workloads), then deleted;
//  6. negative controls: stacks broken on purpose must be rejected;
// and a report. Provider-level validation is not possible here (no provider
// binaries); see README "Verify".
"use strict";
const { join, resolve } = require("node:path");
const { progress, run, readStacks, firstLine } = require("./lib");
const { synthVariants } = require("./synth-variants");
const tfschema = require("./tfschema/validate");
const { applyStacks } = require("./apply");
const { checkChartValues, chartValuesControl } = require("./chart-values");
const { controls } = require("./negative");
const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = require("node:fs");
const os = require("node:os");

const root = resolve(__dirname, "..", "..");
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

function cluster(verb) {
  return run("bash", [join(root, "scripts", "verify", "cluster.sh"), verb], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
}

/** Portable environments of a variant: env -> [platform stack, workload stack] in deploy order. */
function portableEnvironments(stacks) {
  return Object.keys(stacks).filter((n) => n.endsWith("-platform")).map((p) => [p.replace(/^hexproperty-|-platform$/g, ""), [p, p.replace(/-platform$/, "")]]);
}

function writeStack(dir, name, json) {
  mkdirSync(join(dir, "stacks", name), { recursive: true });
  writeFileSync(join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify(json, null, 2));
}

/** terraform init + validate of every stack folder; returns { checked, problems }. */
function terraformCheck(dirs, rc) {
  const problems = [];
  let checked = 0;
  for (const [variant, outdir] of Object.entries(dirs)) {
    for (const name of Object.keys(readStacks(outdir))) {
      const result = tfschema.validateStack(join(outdir, "stacks", name), rc);
      checked++;
      progress(`terraform ${result.ok ? "ok" : "REJECTED"}: ${variant}/${name}`);
      problems.push(...result.lines.map((l) => `${variant}/${l}`));
    }
  }
  return { checked, problems };
}

async function main() {
  const problems = [];
  const report = [];
  const outdir = join(root, ".local", "verify");
  progress("1/6 synthesizing every environment, shipped and flipped");
  const dirs = synthVariants(outdir);
  const variants = Object.fromEntries(Object.entries(dirs).map(([v, d]) => [v, readStacks(d)]));

  progress("2/6 terraform init + validate of every stack (schema-stub providers)");
  const { rc } = await tfschema.setup();
  const tf = terraformCheck(dirs, rc);
  problems.push(...tf.problems.map((p) => `terraform: ${p}`));
  report.push(`terraform core check: ${tf.checked} stacks, ${tf.problems.length} problems`);

  progress("3/6 Helm values against the pinned charts (Go module proxy, cached)");
  const allStacks = Object.assign({}, ...Object.entries(variants).map(([v, stacks]) => Object.fromEntries(Object.entries(stacks).map(([n, j]) => [`${v}/${n}`, j]))));
  const charts = await checkChartValues(allStacks);
  problems.push(...charts.problems.map((p) => `helm values: ${p}`));
  report.push(...charts.report);
  const chartControl = await chartValuesControl(allStacks);
  if (chartControl.problem) problems.push(chartControl.problem);
  const chartControlLine = chartControl.line;

  progress("4/6 starting the local Kubernetes API server (scripts/verify/cluster.sh up)");
  const wasUp = cluster("status").status === 0;
  if (!wasUp && cluster("up").status !== 0) throw new Error("the local Kubernetes API server did not start; see the lines above");
  const env = run("bash", [join(root, "scripts", "verify", "cluster.sh"), "env"], { cwd: root });
  const kubeconfig = (env.stdout.match(/KUBECONFIG=("?)([^"\n]+)\1/) || [])[2];
  if (!kubeconfig) throw new Error(`cluster.sh env printed no KUBECONFIG: ${firstLine(env.stdout + env.stderr)}`);
  process.env.KUBECONFIG = kubeconfig;
  try {
    progress("5/6 applying every Kubernetes object of every portable environment");
    for (const [variant, stacks] of Object.entries(variants)) {
      for (const [envName, order] of portableEnvironments(stacks)) {
        const result = applyStacks(order.map((n) => [n, stacks[n]]));
        problems.push(...result.problems.map((p) => `kubernetes: ${variant}/${p}`));
        report.push(`kubernetes ${variant}/${envName}: ${result.applied} objects applied and deleted; ${result.problems.length} problems`);
        for (const s of result.skipped) report.push(`  not exercised (Helm chart repositories are unreachable here): ${s}`);
      }
    }

    progress("6/6 negative controls: stacks broken on purpose must be rejected");
    report.push(chartControlLine);
    for (const control of controls(variants.shipped, "dev")) {
      let found = [];
      if (control.engine === "terraform") {
        const dir = mkdtempSync(join(os.tmpdir(), "hexproperty-negative-"));
        try {
          writeStack(dir, control.stack, control.json);
          found = tfschema.validateStack(join(dir, "stacks", control.stack), rc).lines;
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      } else {
        found = applyStacks([...(control.needs ?? []), [control.stack, control.json]]).problems;
      }
      // Rejected for the planted reason, naming the stack and the object — not for some other problem.
      const named = found.filter((line) => line.includes(control.stack) && line.includes(control.address) && control.because.test(line));
      if (named.length === 0) problems.push(`negative control accepted: ${control.what} in ${control.stack} (${control.address}) passed the ${control.engine} check${found.length ? `; it reported only: ${found[0]}` : ""}`);
      report.push(`negative control, ${control.what}: ${named.length ? `rejected — ${named[0]}` : "NOT rejected"}`);
    }
  } finally {
    if (!wasUp && process.env.HEXPROPERTY_KEEP_CLUSTER !== "1") cluster("down");
  }

  process.stderr.write(`\nverify report (${seconds()}):\n${report.map((l) => `  ${l}`).join("\n")}\n`);
  if (problems.length) {
    process.stderr.write(`\nverify: ${problems.length} problem(s):\n`);
    for (const p of problems) process.stderr.write(`verify: ${p}\n`);
    process.exit(1);
  }
  process.stderr.write("verify: ok\n");
}

main().catch((e) => {
  process.stderr.write(`verify: ${e.message}\n`);
  if (process.env.HEXPROPERTY_DEBUG === "1") process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
