// Shared helpers of `npm run verify` (plain Node, no dependencies).
"use strict";
const { spawnSync } = require("node:child_process");
const { readdirSync, readFileSync, existsSync } = require("node:fs");
const { join } = require("node:path");
const os = require("node:os");

const CACHE = process.env.HEXPROPERTY_CACHE || join(os.homedir(), ".cache", "hexproperty");

/** A progress line on stderr. */
function progress(message) {
  process.stderr.write(`verify: ${message}\n`);
}

/** Runs a command; returns { status, stdout, stderr } (never throws). */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) return { status: 127, stdout: "", stderr: String(result.error.message) };
  return { status: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/** The synthesized stacks of an output folder: name -> parsed cdk.tf.json. */
function readStacks(outdir) {
  const root = join(outdir, "stacks");
  const stacks = {};
  if (!existsSync(root)) return stacks;
  for (const name of readdirSync(root).sort()) {
    const file = join(root, name, "cdk.tf.json");
    if (existsSync(file)) stacks[name] = JSON.parse(readFileSync(file, "utf8"));
  }
  return stacks;
}

/** The first non-empty line of a text, trimmed. */
function firstLine(text) {
  return (String(text).split("\n").map((l) => l.trim()).find((l) => l.length > 0) || "").slice(0, 400);
}

module.exports = { CACHE, progress, run, readStacks, firstLine };
