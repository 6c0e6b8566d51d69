/**
 * scripts/diff.js: the deploy order comes from the synthesized manifest.json
 * (platform before workloads), the PR comment puts an environment's stacks
 * side by side, and an unreachable registry fails with one clear line.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runSynth, ROOT } from "../support/synth-cli";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const diff = require("../../scripts/diff.js") as {
  readManifest(outdir: string): Record<string, { dependencies: string[]; dir: string }>;
  environmentStacks(stacks: Record<string, { dependencies: string[] }>, env: string): string[];
  environments(stacks: Record<string, { dependencies: string[] }>): string[];
  markdown(stacks: Record<string, { dependencies: string[] }>, plans: Record<string, { output: string; summary: string }>): string;
};

describe("npm run diff", () => {
  const outdir = mkdtempSync(join(tmpdir(), "hexproperty-diff-"));
  beforeAll(() => expect(runSynth({ outdir }).status).toBe(0));

  test("given the synthesized app, when the deploy order of each environment is read, then a portable environment's platform stack comes first", () => {
    const stacks = diff.readManifest(outdir);
    expect(diff.environments(stacks)).toEqual(["dev", "prod", "staging"]);
    expect(diff.environmentStacks(stacks, "dev")).toEqual(["hexproperty-dev-platform", "hexproperty-dev"]);
    expect(diff.environmentStacks(stacks, "prod")).toEqual(["hexproperty-prod"]);
  });

  test("given node scripts/diff.js --order, then it prints the stacks one per line", () => {
    const result = spawnSync(process.execPath, [join(ROOT, "scripts", "diff.js"), "--order", "dev"], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir }, encoding: "utf8" });
    expect(result.stdout).toBe("hexproperty-dev-platform\nhexproperty-dev\n");
  });

  test("given plans, when the comment is written, then each environment is one row with its stacks side by side", () => {
    const stacks = diff.readManifest(outdir);
    const plan = (s: string) => ({ output: `Plan: 1 to add, 0 to change, 0 to destroy. <${s}>`, summary: "Plan: 1 to add, 0 to change, 0 to destroy." });
    const text = diff.markdown(stacks, Object.fromEntries(Object.keys(stacks).map((s) => [s, plan(s)])));
    const row = text.split("\n").find((l) => l.startsWith("| dev |"))!;
    expect(row.indexOf("hexproperty-dev-platform")).toBeLessThan(row.indexOf("<b>hexproperty-dev</b>"));
    expect(text).toContain("&lt;hexproperty-dev&gt;");
    expect(text.startsWith("<!-- hexproperty-plan -->")).toBe(true);
  });

  const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
  (terraform ? test : test.skip)("given a registry terraform cannot reach, when a stack is diffed, then it fails with one line saying so", () => {
    // A provider mirror on a closed local port: unreachable, deterministically and offline.
    const cli = join(outdir, "unreachable.tfrc");
    writeFileSync(cli, 'provider_installation {\n  network_mirror {\n    url = "https://127.0.0.1:9/"\n  }\n}\n');
    const result = spawnSync(process.execPath, [join(ROOT, "scripts", "diff.js"), "--skip-synth", "hexproperty-prod"], {
      cwd: ROOT, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: outdir, TF_CLI_CONFIG_FILE: cli, TF_PLUGIN_CACHE_DIR: "" },
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines[lines.length - 1]).toMatch(/^diff: terraform cannot reach the Terraform registry to install the providers of hexproperty-prod \(.+\); run where registry\.terraform\.io is reachable/);
  });
});
