/** Runs the app as users do (`node scripts/synth.js`) in a child process, and fingerprints an output folder. */
import { spawnSync, type SpawnSyncReturns } from "child_process";
import { createHash } from "crypto";
import { readdirSync, readFileSync, statSync } from "fs";
import { join, relative } from "path";

export const ROOT = join(__dirname, "..", "..");

export interface SynthRun {
  /** CDKTF_OUTDIR of the run. */
  readonly outdir: string;
  /** HEXPROPERTY_OVERRIDES as text; @default - empty */
  readonly overrides?: string;
  /** HEXPROPERTY_ONLY; @default - empty (all environments) */
  readonly only?: string;
}

export function runSynth(run: SynthRun): SpawnSyncReturns<string> {
  const env = { ...process.env, CDKTF_OUTDIR: run.outdir, HEXPROPERTY_OVERRIDES: run.overrides ?? "", HEXPROPERTY_ONLY: run.only ?? "" };
  return spawnSync(process.execPath, [join(ROOT, "scripts", "synth.js")], { cwd: ROOT, env, encoding: "utf8" });
}

/** Every path under `dir` (relative, in sorted walk order): a file's content, or null for a folder. */
export function treeEntries(dir: string): Map<string, string | null> {
  const entries = new Map<string, string | null>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        entries.set(relative(dir, p), null);
        walk(p);
      } else entries.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return entries;
}

/** A hash of every path and file content under `dir`: equal hashes mean nothing was written or removed. */
export function treeHash(dir: string): string {
  const hash = createHash("sha256");
  for (const [path, content] of treeEntries(dir)) hash.update(`${path}\0${content ?? "<dir>"}\0`);
  return hash.digest("hex");
}
