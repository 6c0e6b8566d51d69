/**
 * The app entry: validate every environment first (a bad value stops here,
 * before anything is written), then build and synthesize all stacks, then
 * remove the folders of our stacks that this run no longer synthesizes.
 */
import { lstatSync, readdirSync, rmSync } from "fs";
import { join } from "path";
import { loadEnvironments } from "../environments";

export function main(): void {
  const environments = loadEnvironments();
  // Loaded only after validation: a config error costs no cdktf start-up and writes nothing.
  const { buildApp } = require("./app") as typeof import("./app");
  const policyLines: string[] = [];
  const { app, stacks } = buildApp(environments, { policy: { print: (line) => policyLines.push(line) } });
  app.synth();
  const names = Object.values(stacks).flatMap((s) => [s.platform?.node.id, s.main.node.id]).filter((n): n is string => n !== undefined);
  const removed = removeStaleStacks(join(app.outdir, "stacks"), names);
  process.stderr.write(`synthesized ${names.length} stacks: ${names.join(", ")}${removed.length ? `; removed stale ${removed.join(", ")}` : ""}\n`);
  // The policy pack's warnings and suppressions, after the summary line.
  for (const line of policyLines) process.stderr.write(`${line}\n`);
}

/** What a folder of one of our stacks is called (`hexproperty-<environment>[-platform]`). */
const OUR_STACK = /^hexproperty-[a-z0-9-]+$/;

/**
 * Removes the stack folders under `stacksDir` that look like ours and are not
 * in `synthesized` (left by an earlier run with more environments), so the
 * output matches the manifest.json cdktf just wrote. Anything else — files,
 * links, folders not named like our stacks — is left alone. Returns the
 * removed names.
 */
export function removeStaleStacks(stacksDir: string, synthesized: readonly string[]): string[] {
  let entries: string[];
  try {
    entries = readdirSync(stacksDir);
  } catch {
    return [];
  }
  const stale = entries.filter((name) => OUR_STACK.test(name) && !synthesized.includes(name) && lstatSync(join(stacksDir, name)).isDirectory()).sort();
  for (const name of stale) rmSync(join(stacksDir, name), { recursive: true, force: true });
  return stale;
}
