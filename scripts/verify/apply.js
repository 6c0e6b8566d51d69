#!/usr/bin/env node
// Applies every Kubernetes object of a portable environment's stacks to a
// real kube-apiserver (KUBECONFIG), in Terraform's dependency order, with
// server-side apply; then deletes them and waits for the namespaces to
// finalize. What is applied is exactly each `kubernetes_manifest`'s
// `manifest`: no conversion.
//
// Objects that Terraform may create in parallel (no depends_on between them)
// are applied in the least favourable order (namespaced objects before
// cluster-scoped ones, last declared first), so a missing dependency fails
// here instead of on a real cluster one run in ten.
//
// Problems: one line each, `<stack>: <address> (<Kind> <ns>/<name>): <why>`.
"use strict";
const { progress, run, firstLine } = require("./lib");

const NOT_APPLIED = new Set(["helm_release"]);

/** kubectl with the verify cluster's kubeconfig. */
function kubectl(args, input) {
  return run("kubectl", args, { input, env: { ...process.env } });
}

function describe(object) {
  const ns = object?.metadata?.namespace;
  return `${object?.kind ?? "?"} ${ns ? `${ns}/` : ""}${object?.metadata?.name ?? "?"}`;
}

/** Unresolved Terraform expressions inside a manifest (verify cannot apply what only Terraform can resolve). */
function unresolved(value, path = "manifest") {
  if (typeof value === "string") return value.includes("${") ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unresolved(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => unresolved(v, `${path}.${k}`));
  return [];
}

/** The Kubernetes objects of one stack in waves: each wave depends only on earlier waves. */
function plan(stackName, json) {
  const problems = [];
  const skipped = [];
  const objects = new Map();
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      if (type === "kubernetes_manifest") {
        const bad = unresolved(body.manifest);
        if (bad.length) problems.push(`${stackName}: ${address} (${describe(body.manifest)}): holds a Terraform expression at ${bad[0]}; verify applies only literal objects`);
        else objects.set(address, { address, object: body.manifest, dependsOn: (body.depends_on ?? []).filter((d) => d.startsWith("kubernetes_manifest.")) });
      } else if (type.startsWith("kubernetes_")) {
        problems.push(`${stackName}: ${address}: ${type} is not applied by verify; build Kubernetes objects with KubeResource (kubernetes_manifest) so that what verify applies is what Terraform applies`);
      } else if (NOT_APPLIED.has(type)) {
        skipped.push(`${address} (chart ${body.chart} ${body.version} into ${body.namespace})`);
      }
    }
  }
  const waves = [];
  const placed = new Set();
  while (placed.size < objects.size) {
    const wave = [...objects.values()].filter((o) => !placed.has(o.address) && o.dependsOn.every((d) => placed.has(d) || !objects.has(d)));
    if (wave.length === 0) {
      problems.push(`${stackName}: depends_on cycle among ${[...objects.keys()].filter((a) => !placed.has(a)).join(", ")}`);
      break;
    }
    // Least favourable order inside a wave: namespaced first, last declared first.
    wave.reverse().sort((a, b) => Number(!a.object.metadata?.namespace) - Number(!b.object.metadata?.namespace));
    wave.forEach((o) => placed.add(o.address));
    waves.push(wave);
  }
  return { waves, skipped, problems };
}

/** Server-side apply of one object; returns a problem line or undefined. Pod Security warnings count as rejections. */
function apply(stackName, item) {
  const result = kubectl(["apply", "--server-side", "--field-manager=hexproperty-verify", "--force-conflicts", "-f", "-"], JSON.stringify(item.object));
  const warnings = result.stderr.split("\n").filter((l) => /^Warning: /.test(l));
  if (result.status !== 0) return `${stackName}: ${item.address} (${describe(item.object)}): ${firstLine(result.stderr.replace(/^Warning: .*$/gm, "")) || firstLine(result.stdout)}`;
  const podSecurity = warnings.find((w) => /PodSecurity/.test(w));
  if (podSecurity) return `${stackName}: ${item.address} (${describe(item.object)}): ${podSecurity.replace(/^Warning: /, "")}`;
  for (const w of warnings) progress(`  ${stackName}: ${describe(item.object)}: ${w}`);
  return undefined;
}

/**
 * Applies one wave. Fast path: the whole wave in one kubectl call, in the
 * wave's order; if that reports any error or Pod Security warning, each
 * object is applied alone so the problem names its object.
 */
function applyWave(stackName, wave) {
  const list = { apiVersion: "v1", kind: "List", items: wave.map((i) => i.object) };
  const batch = kubectl(["apply", "--server-side", "--field-manager=hexproperty-verify", "--force-conflicts", "-f", "-"], JSON.stringify(list));
  if (batch.status === 0 && !/PodSecurity/.test(batch.stderr)) {
    for (const w of batch.stderr.split("\n").filter((l) => /^Warning: /.test(l))) progress(`  ${stackName}: ${w}`);
    return wave.map(() => undefined);
  }
  return wave.map((item) => apply(stackName, item));
}

/** Deletes what was applied (one call, reverse order) and waits until the namespaces are gone. */
function teardown(applied) {
  const problems = [];
  const namespaces = applied.filter((i) => i.object.kind === "Namespace");
  const others = [...applied].reverse().filter((i) => i.object.kind !== "Namespace");
  if (others.length) {
    const r = kubectl(["delete", "--ignore-not-found", "--wait=false", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items: others.map((i) => i.object) }));
    if (r.status !== 0) problems.push(`delete: ${firstLine(r.stderr)}`);
  }
  for (const ns of namespaces) {
    const r = kubectl(["delete", "namespace", ns.object.metadata.name, "--ignore-not-found", "--timeout=120s"]);
    if (r.status !== 0) problems.push(`namespace ${ns.object.metadata.name} did not finalize: ${firstLine(r.stderr)}`);
  }
  return problems;
}

/**
 * Applies the given stacks (in order) and tears them down again.
 * Returns { applied: number, skipped: string[], problems: string[] }.
 */
function applyStacks(stacks) {
  const problems = [];
  const skipped = [];
  const applied = [];
  try {
    for (const [stackName, json] of stacks) {
      const p = plan(stackName, json);
      problems.push(...p.problems);
      skipped.push(...p.skipped.map((s) => `${stackName}: ${s}`));
      let count = 0;
      for (const wave of p.waves) {
        applyWave(stackName, wave).forEach((problem, i) => {
          if (problem) problems.push(problem);
          else {
            applied.push(wave[i]);
            count++;
          }
        });
      }
      progress(`applied ${stackName}: ${count} of ${p.waves.flat().length} objects${p.skipped.length ? `, ${p.skipped.length} helm releases not exercised` : ""}`);
    }
  } finally {
    problems.push(...teardown(applied).map((p) => `teardown: ${p}`));
  }
  return { applied: applied.length, skipped, problems };
}

module.exports = { plan, applyStacks, unresolved };

if (require.main === module) {
  const { readStacks } = require("./lib");
  const [outdir, ...names] = process.argv.slice(2);
  if (!outdir || names.length === 0) {
    process.stderr.write("usage: node scripts/verify/apply.js <cdktf outdir> <stack>... (in deploy order)\n");
    process.exit(2);
  }
  const all = readStacks(outdir);
  const missing = names.filter((n) => !all[n]);
  if (missing.length) {
    process.stderr.write(`verify: no synthesized stack ${missing.join(", ")} in ${outdir} (have: ${Object.keys(all).join(", ")})\n`);
    process.exit(2);
  }
  const result = applyStacks(names.map((n) => [n, all[n]]));
  for (const p of result.problems) process.stderr.write(`verify: kubernetes: ${p}\n`);
  process.exit(result.problems.length ? 1 : 0);
}
