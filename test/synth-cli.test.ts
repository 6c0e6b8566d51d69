/**
 * The app as users run it (`npm run synth`, the cdktf.json "app"): bad config
 * exits non-zero with one line and leaves the output folder exactly as it was;
 * a good run leaves only the stacks it synthesized.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { removeStaleStacks } from "../stacks/main";
import { BAD_VALUES } from "./support/bad-values";
import { runSynth, treeHash } from "./support/synth-cli";

describe("npm run synth", () => {
  const outdir = mkdtempSync(join(tmpdir(), "hexproperty-synth-"));

  test("given valid environments, when synthesized, then one Terraform JSON per stack is written for dev, staging and prod", () => {
    const result = runSynth({ outdir });
    expect(result.stderr).toContain("synthesized 4 stacks");
    expect(result.status).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["hexproperty-dev", "hexproperty-dev-platform", "hexproperty-prod", "hexproperty-staging"]);
    for (const stack of ["hexproperty-dev", "hexproperty-staging", "hexproperty-prod"]) {
      const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      expect(json.output.runtime_manifest.value.environment).toBe(stack.replace("hexproperty-", ""));
    }
  });

  test.each(BAD_VALUES.slice(0, 10))("given %s, when synthesized, then it exits 1 with one line and the output folder is untouched", (_what, overrides, message) => {
    mkdirSync(join(outdir, "stacks", "hexproperty-qa"), { recursive: true });
    writeFileSync(join(outdir, "marker.txt"), "previous output");
    const before = treeHash(outdir);
    const result = runSynth({ outdir, overrides: JSON.stringify(overrides), only: "prod" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`hexproperty: ${message}\n`);
    expect(treeHash(outdir)).toBe(before);
  });

  test("given overrides that are not JSON, when synthesized, then it exits 1 naming the variable", () => {
    const result = runSynth({ outdir, overrides: "{dev:" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^hexproperty: invalid HEXPROPERTY_OVERRIDES: not JSON/);
  });
});

describe("stale stacks in the output folder", () => {
  test("given a full synthesis, when only prod is synthesized, then the other stacks' folders are removed and manifest.json lists what is left", () => {
    const outdir = mkdtempSync(join(tmpdir(), "hexproperty-stale-"));
    expect(runSynth({ outdir }).status).toBe(0);
    mkdirSync(join(outdir, "stacks", "notes"));
    writeFileSync(join(outdir, "stacks", "hexproperty-readme.txt"), "not a stack folder");

    const result = runSynth({ outdir, only: "prod" });

    expect(result.status).toBe(0);
    expect(result.stderr).toContain("removed stale hexproperty-dev, hexproperty-dev-platform, hexproperty-staging");
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["hexproperty-prod", "hexproperty-readme.txt", "notes"]);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks)).toEqual(["hexproperty-prod"]);
  });

  test("given folders of ours, of others and files, when stale stacks are removed, then only our folders not synthesized go", () => {
    const dir = mkdtempSync(join(tmpdir(), "hexproperty-stacks-"));
    for (const name of ["hexproperty-dev", "hexproperty-qa", "hexproperty-qa-platform", "other-app", "HexProperty-Old"]) mkdirSync(join(dir, name));
    writeFileSync(join(dir, "hexproperty-notes"), "a file, not a stack");

    const removed = removeStaleStacks(dir, ["hexproperty-dev"]);

    expect(removed).toEqual(["hexproperty-qa", "hexproperty-qa-platform"]);
    expect(readdirSync(dir).sort()).toEqual(["HexProperty-Old", "hexproperty-dev", "hexproperty-notes", "other-app"]);
  });

  test("given no stacks folder yet, when stale stacks are removed, then nothing happens", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "hexproperty-stacks-")), "stacks");
    expect(removeStaleStacks(dir, [])).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });
});
