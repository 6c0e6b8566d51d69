#!/usr/bin/env node
// bench/synth: wall time and peak memory of the full synthesis of every stack
// (`node scripts/synth.js`, what `npm run synth` and cdktf.json run) against
// the floor of a bare `node -e "require('cdktf')"`, measured side by side in
// this one run (alternating, after one warm-up each), and their ratio; and
// the same app built and synthesized with the policy pack on and off
// (buildApp's `policy.enabled`, used only here), and that ratio.
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

/** What scripts/synth.js does (validate, build, synth), with the policy pack on or off. */
const app = (policy) => [...preload, "-e", [
  `require(${JSON.stringify(path.join(ROOT, "scripts", "ts-hook.js"))});`,
  `const { loadEnvironments } = require(${JSON.stringify(path.join(ROOT, "environments", "index.ts"))});`,
  `const { buildApp } = require(${JSON.stringify(path.join(ROOT, "stacks", "app.ts"))});`,
  `buildApp(loadEnvironments(), { policy: { enabled: ${policy}, print: () => {} } }).app.synth();`,
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
  return { ms, rssMiB: rss / 1024, cpuMs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const samples = Object.fromEntries(Object.keys(subjects).map((k) => [k, { ms: [], rssMiB: [], cpuMs: [] }]));
for (const args of Object.values(subjects)) runOnce(args); // warm-up: file cache, compile cache
for (let round = 1; round <= rounds; round++) {
  for (const [name, args] of Object.entries(subjects)) {
    const { ms, rssMiB, cpuMs } = runOnce(args);
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
