#!/usr/bin/env node
// Synthesizes every environment as shipped and flipped to the other stack
// into <outdir>/<variant>/stacks/..., through the project's own entry
// (scripts/synth.js), so verify checks exactly what `cdktf synth` writes.
"use strict";
const { rmSync, mkdirSync } = require("node:fs");
const { join, resolve } = require("node:path");
const { progress, run, firstLine } = require("./lib");

/**
 * The variants verify checks: each environment on its own stack, and each flipped to the other.
 * Staging scales property and leasing to zero on Cloud Run; an HPA cannot (validation refuses
 * minInstances 0 on portable), so its flip also raises them to 1 — the one extra edit that flip needs.
 */
const ONE_INSTANCE = { minInstances: 1 };
const VARIANTS = {
  shipped: {},
  flipped: { dev: { stack: "gcp" }, staging: { stack: "portable", services: { property: ONE_INSTANCE, leasing: ONE_INSTANCE } }, prod: { stack: "portable" } },
};

function synthVariants(outdir) {
  const root = resolve(__dirname, "..", "..");
  const dirs = {};
  for (const [variant, overrides] of Object.entries(VARIANTS)) {
    const dir = join(outdir, variant);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const env = { ...process.env, CDKTF_OUTDIR: dir, HEXPROPERTY_OVERRIDES: JSON.stringify(overrides), CHECKPOINT_DISABLE: "1" };
    delete env.HEXPROPERTY_ONLY;
    const result = run(process.execPath, [join(root, "scripts", "synth.js")], { cwd: root, env });
    if (result.status !== 0) throw new Error(`synthesis of the ${variant} environments failed: ${firstLine(result.stderr)}`);
    progress(`synthesized ${variant}: ${firstLine(result.stderr).replace(/^synthesized /, "")}`);
    dirs[variant] = dir;
  }
  return dirs;
}

module.exports = { VARIANTS, synthVariants };

if (require.main === module) {
  try {
    synthVariants(process.argv[2] || join(resolve(__dirname, "..", ".."), ".local", "verify"));
  } catch (e) {
    process.stderr.write(`verify: ${e.message}\n`);
    process.exit(1);
  }
}
