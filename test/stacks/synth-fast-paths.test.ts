/**
 * The synthesis fast paths (constructs/core/tokens.ts: plain data copied
 * without cdktf's resolver, token stack traces skipped; constructs/policy/
 * aspect.ts: one resolution pass per stack, reused by app.synth()) must
 * write exactly what cdktf's own path writes. Both are run through the
 * project's entry (scripts/synth.js, via verify's variants: every
 * environment as shipped and flipped) and every file is compared byte for byte.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { ROOT, treeEntries } from "../support/synth-cli";

function synthesize(dir: string, fastPaths: boolean): Map<string, string | null> {
  const env: NodeJS.ProcessEnv = { ...process.env, HEXPROPERTY_SYNTH_FAST_PATHS: fastPaths ? "1" : "0" };
  delete env.HEXPROPERTY_IMAGE_DIGESTS;
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "verify", "synth-variants.js"), dir], { cwd: ROOT, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`synth-variants (fast paths ${fastPaths ? "on" : "off"}) failed: ${r.stderr}`);
  return treeEntries(dir);
}

describe("synthesis fast paths", () => {
  const base = mkdtempSync(join(tmpdir(), "hexproperty-fastpaths-"));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  test("given every environment as shipped and flipped, when synthesized with and without the fast paths, then every written file is byte-identical", () => {
    const reference = synthesize(join(base, "cdktf"), false);
    const fast = synthesize(join(base, "fast"), true);
    const stackFiles = [...reference.keys()].filter((f) => f.endsWith("cdk.tf.json"));
    expect(stackFiles.length).toBeGreaterThanOrEqual(9);
    expect([...fast.keys()].sort()).toEqual([...reference.keys()].sort());
    const differing = [...reference].filter(([f, text]) => fast.get(f) !== text).map(([f]) => f);
    expect(differing).toEqual([]);
  }, 180_000);
});
