/**
 * The app as users run it (`npm run synth`, the cdktf.json "app"): bad config
 * exits non-zero with one line and leaves the output folder exactly as it was.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { BAD_VALUES } from "./support/bad-values";

const ROOT = join(__dirname, "..");

function runSynth(outdir: string, overrides?: unknown) {
  const env = { ...process.env, CDKTF_OUTDIR: outdir, HEXPROPERTY_OVERRIDES: overrides === undefined ? "" : JSON.stringify(overrides) };
  return spawnSync(process.execPath, [join(ROOT, "scripts", "synth.js")], { cwd: ROOT, env, encoding: "utf8" });
}

function treeHash(dir: string): string {
  const hash = createHash("sha256");
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(p).update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest("hex");
}

describe("npm run synth", () => {
  const outdir = mkdtempSync(join(tmpdir(), "hexproperty-synth-"));

  test("given valid environments, when synthesized, then one Terraform JSON per stack is written for dev, staging and prod", () => {
    const result = runSynth(outdir);
    expect(result.stderr).toContain("synthesized 4 stacks");
    expect(result.status).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["hexproperty-dev", "hexproperty-dev-platform", "hexproperty-prod", "hexproperty-staging"]);
    for (const stack of ["hexproperty-dev", "hexproperty-staging", "hexproperty-prod"]) {
      const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      expect(json.output.runtime_manifest.value.environment).toBe(stack.replace("hexproperty-", ""));
    }
  });

  test.each(BAD_VALUES.slice(0, 10))("given %s, when synthesized, then it exits 1 with one line and the output folder is untouched", (_what, overrides, message) => {
    mkdirSync(join(outdir, "stacks"), { recursive: true });
    writeFileSync(join(outdir, "marker.txt"), "previous output");
    const before = treeHash(outdir);
    const result = runSynth(outdir, overrides);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`hexproperty: ${message}\n`);
    expect(treeHash(outdir)).toBe(before);
  });

  test("given overrides that are not JSON, when synthesized, then it exits 1 naming the variable", () => {
    const result = spawnSync(process.execPath, [join(ROOT, "scripts", "synth.js")], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir, HEXPROPERTY_OVERRIDES: "{dev:" }, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^hexproperty: invalid HEXPROPERTY_OVERRIDES: not JSON/);
  });
});
