#!/usr/bin/env node
// Terraform's own configuration checks on synthesized stacks, offline.
// `terraform init -backend=false` parses and checks the whole configuration
// before it looks for providers; with an empty filesystem mirror the only
// acceptable failure is "provider not found". Every other diagnostic is a
// defect, reported as one line: `<stack>: <address>: <summary> — <detail>`.
"use strict";
const { mkdtempSync, writeFileSync, copyFileSync, rmSync, mkdirSync } = require("node:fs");
const { join } = require("node:path");
const os = require("node:os");
const { progress, run } = require("./lib");

const PROVIDER_NOT_FOUND = /^(Failed to query available provider packages|Failed to install provider|Incompatible provider version)$/;
/** The banner Terraform prints before configuration errors; the errors themselves follow. */
const BANNER = /^Terraform encountered problems during initiali[sz]ation/;

/** Parses Terraform's human diagnostics ("Error: ..." blocks) into { summary, address, detail }. */
function diagnostics(text) {
  const out = [];
  const blocks = text.split(/\n(?=(?:│ )?Error: )/);
  for (const block of blocks) {
    const lines = block.split("\n").map((l) => l.replace(/^│ ?/, ""));
    const head = lines.findIndex((l) => l.startsWith("Error: "));
    if (head < 0) continue;
    const summary = lines[head].slice("Error: ".length).trim();
    const on = lines.find((l) => /^\s*on .+ line \d+/.test(l));
    const address = on ? (on.match(/, in ([^:]+):?/) || [])[1] || on.trim() : "(configuration)";
    const detail = lines.slice(head + 1).filter((l) => l.trim() && !/^\s*on .+ line \d+/.test(l) && !/^\s*\d+:/.test(l)).map((l) => l.trim())[0] || "";
    out.push({ summary, address, detail });
  }
  return out;
}

/** Checks one stack folder; returns problem lines (empty when Terraform accepts the configuration). */
function checkStack(name, stackDir) {
  const work = mkdtempSync(join(os.tmpdir(), `hexproperty-tf-${name}-`));
  try {
    copyFileSync(join(stackDir, "cdk.tf.json"), join(work, "cdk.tf.json"));
    const mirror = join(work, ".empty-mirror");
    mkdirSync(mirror);
    const rc = join(work, ".terraformrc");
    writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["*/*/*"]\n  }\n}\n`);
    const env = { ...process.env, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
    const result = run("terraform", ["init", "-backend=false", "-input=false", "-no-color"], { cwd: work, env });
    if (result.status === 127) return [`${name}: terraform is not on PATH (${result.stderr})`];
    if (result.status === 0) return [];
    const problems = diagnostics(`${result.stdout}\n${result.stderr}`).filter((d) => !PROVIDER_NOT_FOUND.test(d.summary) && !BANNER.test(d.summary));
    const all = diagnostics(`${result.stdout}\n${result.stderr}`);
    if (problems.length === 0 && all.length === 0) return [`${name}: terraform init failed without a diagnostic: ${(result.stderr || result.stdout).trim().split("\n")[0]}`];
    return problems.map((d) => `${name}: ${d.address}: ${d.summary}${d.detail ? ` — ${d.detail}` : ""}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Checks every stack of the given output folders; returns { checked, problems }. */
function checkAll(outdirs) {
  const { readdirSync, existsSync } = require("node:fs");
  const problems = [];
  let checked = 0;
  for (const [variant, outdir] of Object.entries(outdirs)) {
    const root = join(outdir, "stacks");
    for (const name of existsSync(root) ? readdirSync(root).sort() : []) {
      const found = checkStack(name, join(root, name));
      checked++;
      progress(`terraform ${found.length ? "REJECTED" : "ok"}: ${variant}/${name}`);
      problems.push(...found.map((p) => `${variant}/${p}`));
    }
  }
  return { checked, problems };
}

module.exports = { checkStack, checkAll, diagnostics };

if (require.main === module) {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    process.stderr.write("usage: node scripts/verify/terraform.js <cdktf outdir>...\n");
    process.exit(2);
  }
  const { problems } = checkAll(Object.fromEntries(dirs.map((d) => [d, d])));
  for (const p of problems) process.stderr.write(`verify: terraform: ${p}\n`);
  process.exit(problems.length ? 1 : 0);
}
