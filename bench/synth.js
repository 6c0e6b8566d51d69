#!/usr/bin/env node
// bench/synth: wall time and peak memory of the full synthesis of every stack
// (`node scripts/synth.js`, what `npm run synth` and cdktf.json run) against
// the floor of a bare `node -e "require('cdktf')"`, measured side by side in
// this one run (alternating, after one warm-up each), and their ratio; and
// the same app built and synthesized with the policy pack on and off
// (buildApp's `policy.enabled`, used only here), and that ratio.
// The policy-on run also reports where its time goes (phases, median ms).
// Usage: node bench/synth.js [rounds=7]
"use strict";
const { spawnSync } = require("child_process");
const { mkdtempSync, rmSync } = require("fs");
const { tmpdir } = require("os");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const rounds = Number(process.argv[2] || 7);
const outdir = mkdtempSync(path.join(tmpdir(), "hexproperty-bench-"));
const preload = ["-r", path.join(__dirname, "rss-report.js")];
const env = { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_OUTDIR: outdir, HEXPROPERTY_OVERRIDES: "" };
// Every subject synthesizes (or loads) the same thing whatever the caller's shell sets: all environments as shipped, JSON.
for (const name of ["HEXPROPERTY_ONLY", "HEXPROPERTY_IMAGE_DIGESTS", "SYNTH_HCL_OUTPUT", "CDKTF_CONTEXT_JSON", "CDKTF_TARGET_STACK_ID", "CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS"]) delete env[name];

/** Phases of the policy-on run, in order; each mark is the time since the process started. */
const PHASES = ["start", "environments", "validate", "cdktf", "app modules", "build", "policy", "synth"];

/**
 * What scripts/synth.js does (validate, build, synth), with the policy pack on or off; with it on, the time at the end
 * of each phase (`bench-phase-<name>=<ms>`; `start` is node's own start-up and the TypeScript hook).
 */
const app = (policy) => [...preload, "-e", [
  `const mark = (name) => ${policy} && process.stderr.write("bench-phase-" + name + "=" + performance.now() + "\\n");`,
  `require(${JSON.stringify(path.join(ROOT, "scripts", "ts-hook.js"))}); mark("start");`,
  `const { loadEnvironments } = require(${JSON.stringify(path.join(ROOT, "environments", "index.ts"))}); mark("environments");`,
  `const environments = loadEnvironments(); mark("validate");`,
  `require("cdktf"); mark("cdktf");`,
  `const { buildApp } = require(${JSON.stringify(path.join(ROOT, "stacks", "app.ts"))}); mark("app modules");`,
  `const { app } = buildApp(environments, { customize: () => mark("build"), policy: { enabled: ${policy}, print: () => {} } }); mark("policy");`,
  `app.synth(); mark("synth");`,
  // CPU time of this process (user + system): steadier than wall time on a busy machine.
  `const cpu = process.cpuUsage(); process.stderr.write("bench-cpu-us=" + (cpu.user + cpu.system) + "\\n");`,
].join(" ")];

const subjects = {
  "require('cdktf')": [...preload, "-e", "require('cdktf')"],
  "full synth (all stacks)": [...preload, path.join(ROOT, "scripts", "synth.js")],
  "synth, policy pack off": app(false),
  "synth, policy pack on": app(true),
};

function runOnce(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    process.stderr.write(`bench/synth: ${args.join(" ")} failed (exit ${result.status})\n${result.stderr}`);
    process.exit(1);
  }
  const rss = Number(/bench-maxrss-kb=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
  const cpuMs = Number(/bench-cpu-us=(\d+)/.exec(result.stderr)?.[1] ?? NaN) / 1000;
  const marks = Object.fromEntries([...result.stderr.matchAll(/bench-phase-([a-z ]+)=([\d.]+)/g)].map((m) => [m[1], Number(m[2])]));
  return { ms, rssMiB: rss / 1024, cpuMs, marks };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const samples = Object.fromEntries(Object.keys(subjects).map((k) => [k, { ms: [], rssMiB: [], cpuMs: [], phases: [] }]));
for (const args of Object.values(subjects)) runOnce(args); // warm-up: file cache, compile cache
for (let round = 1; round <= rounds; round++) {
  for (const [name, args] of Object.entries(subjects)) {
    const { ms, rssMiB, cpuMs, marks } = runOnce(args);
    if (PHASES.every((p) => p in marks)) samples[name].phases.push(PHASES.map((p, i) => marks[p] - (i === 0 ? 0 : marks[PHASES[i - 1]])));
    samples[name].ms.push(ms);
    samples[name].rssMiB.push(rssMiB);
    samples[name].cpuMs.push(cpuMs);
  }
  process.stderr.write(`round ${round}/${rounds}\r`);
}
rmSync(outdir, { recursive: true, force: true });

const floor = samples["require('cdktf')"];
const synth = samples["full synth (all stacks)"];
console.log(`\n${"subject".padEnd(26)} ${"median ms".padStart(10)} ${"min ms".padStart(8)} ${"peak RSS MiB".padStart(13)}`);
for (const [name, s] of Object.entries(samples)) {
  console.log(`${name.padEnd(26)} ${median(s.ms).toFixed(0).padStart(10)} ${Math.min(...s.ms).toFixed(0).padStart(8)} ${median(s.rssMiB).toFixed(0).padStart(13)}`);
}
console.log(`ratio full synth / require('cdktf'): time ${(median(synth.ms) / median(floor.ms)).toFixed(2)}x, memory ${(median(synth.rssMiB) / median(floor.rssMiB)).toFixed(2)}x (goal: time <= 2.5x)`);
const off = samples["synth, policy pack off"];
const on = samples["synth, policy pack on"];
console.log(`ratio policy pack on / off: time ${(median(on.ms) / median(off.ms)).toFixed(2)}x (min ${(Math.min(...on.ms) / Math.min(...off.ms)).toFixed(2)}x), CPU time ${(median(on.cpuMs) / median(off.cpuMs)).toFixed(2)}x (${median(on.cpuMs).toFixed(0)} vs ${median(off.cpuMs).toFixed(0)} ms), memory ${(median(on.rssMiB) / median(off.rssMiB)).toFixed(2)}x (goal: time <= 1.2x)`);
const phases = on.phases;
if (phases.length) console.log(`breakdown, synth with policy pack on (median ms): ${PHASES.map((p, i) => `${p} ${median(phases.map((x) => x[i])).toFixed(0)}`).join(", ")}`);
