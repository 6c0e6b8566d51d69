/**
 * The pack stops synthesis: stacks built from the real constructs plus one
 * hand-added unsafe resource fail with the rule id, the construct path and
 * the Terraform address in the message, and nothing is written. The shipped
 * environments (and the same flipped to the other stack) pass with zero
 * error-level findings.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { TerraformStack } from "cdktf";
import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";
import { KubeResource } from "../../constructs/core/kube";
import { CustomResource } from "../../constructs/core/manifest";
import { buildApp } from "../../stacks/app";
import type { EnvironmentStacks } from "../../stacks/environment";
import { HEXPROPERTY_PACK, PolicyViolationError } from "../../constructs/policy";
import { environments, VARIANTS } from "../support/synth";
import { treeHash } from "../support/synth-cli";
import { GOOD_CONTAINER } from "./fixtures";

const quiet = { print: () => undefined };

function deployment(stack: TerraformStack, container: Record<string, unknown>): void {
  new KubeResource(stack, "unsafe", {
    object: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "unsafe", namespace: "hexproperty-dev" },
      spec: { selector: { matchLabels: { app: "unsafe" } }, template: { metadata: { labels: { app: "unsafe" } }, spec: { securityContext: { seccompProfile: { type: "RuntimeDefault" } }, automountServiceAccountToken: false, containers: [container] } } },
    } as never,
  });
}

const UNSAFE: Array<[string, string, (stacks: Record<string, EnvironmentStacks>) => void]> = [
  ["a Cloud Run service granted to allUsers", "gcp-iam-no-public-principals", (s) => {
    new CloudRunV2ServiceIamMember(s.staging!.main, "public-invoker", { project: "hexproperty-staging", location: "europe-west1", name: "hexproperty-staging-property", role: "roles/run.invoker", member: "allUsers" });
  }],
  ["a container without limits", "container-resources", (s) => deployment(s.dev!.main, { ...GOOD_CONTAINER, resources: { requests: { cpu: "100m", memory: "128Mi" } } })],
  ["a latest image", "container-image-pinned", (s) => deployment(s.dev!.main, { ...GOOD_CONTAINER, image: "ghcr.io/hexproperty/property:latest" })],
  ["a PERMISSIVE PeerAuthentication", "istio-mtls-strict", (s) => {
    new CustomResource(s.dev!.main, "permissive", { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", name: "permissive", namespace: "hexproperty-dev", spec: { mtls: { mode: "PERMISSIVE" } } });
  }],
  ["a plaintext password in an env var", "no-literal-secrets", (s) => deployment(s.dev!.main, { ...GOOD_CONTAINER, env: [{ name: "POSTGRES_PASSWORD", value: "hunter2" }] })],
];

describe("the policy pack in synthesis", () => {
  test.each(UNSAFE)("given %s, when the app is built, then synthesis stops naming %s and writes nothing", (_what, rule, addUnsafe) => {
    const outdir = mkdtempSync(join(tmpdir(), "hexproperty-policy-"));
    writeFileSync(join(outdir, "marker.txt"), "previous output");
    const before = treeHash(outdir);

    let error: unknown;
    try {
      buildApp(environments(), { outdir, customize: addUnsafe, policy: quiet });
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(PolicyViolationError);
    const message = (error as Error).message;
    expect(message.split("\n")[0]).toMatch(/^policy pack "hexproperty" found 1 error-level finding; nothing was written/);
    expect(message).toContain(`[${rule}]`);
    expect(message).toMatch(/ \(hexproperty-(dev|staging): [a-z0-9_]+\.[A-Za-z0-9_-]+\): .+ Why: .+ Fix: .+/);
    expect(treeHash(outdir)).toBe(before);
  });

  test("given an output folder that does not exist, when the pack refuses the app, then the folder is still absent", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "hexproperty-policy-")), "cdktf.out");
    expect(() => buildApp(environments(), { outdir, customize: UNSAFE[2]![2], policy: quiet })).toThrow(/container-image-pinned/);
    expect(existsSync(outdir)).toBe(false);
  });

  test.each([
    ["shipped", {}],
    ["flipped", VARIANTS.flipped],
  ])("given the %s environments, when built, then there is no error-level finding and every suppression has a reason", (_variant, overrides) => {
    const { policy } = buildApp(environments(overrides), { outdir: "/tmp/hexproperty-unused", policy: quiet });
    expect(policy!.errors).toEqual([]);
    expect(policy!.resources).toBeGreaterThan(100);
    for (const s of policy!.suppressed) expect(s.reason.length).toBeGreaterThan(20);
  });

  test("given the shipped environments, when synthesized with the pack on and off, then the written files are byte-identical", () => {
    const on = mkdtempSync(join(tmpdir(), "hexproperty-policy-on-"));
    const off = mkdtempSync(join(tmpdir(), "hexproperty-policy-off-"));
    buildApp(environments(), { outdir: on, policy: quiet }).app.synth();
    buildApp(environments(), { outdir: off, policy: { ...quiet, enabled: false } }).app.synth();
    const read = (dir: string) => readdirSync(join(dir, "stacks")).sort().map((stack) => [stack, readFileSync(join(dir, "stacks", stack, "cdk.tf.json"), "utf8")]);
    expect(read(on)).toEqual(read(off));
    expect(read(on).length).toBe(4);
  });

  test("given a suppression with a reason on the unsafe resource, when the app is built, then the finding is reported as suppressed, not an error", () => {
    const { addSuppressions } = require("../../constructs/policy") as typeof import("../../constructs/policy");
    const { policy } = buildApp(environments(), {
      outdir: "/tmp/hexproperty-unused",
      policy: quiet,
      customize: (s) => {
        UNSAFE[1]![2](s);
        addSuppressions(s.dev!.main.node.findChild("unsafe"), [{ rule: "container-resources", reason: "a test fixture that never deploys" }]);
      },
    });
    expect(policy!.suppressed.map((f) => [f.rule, f.path, f.reason])).toContainEqual(["container-resources", "hexproperty-dev/unsafe/resource", "a test fixture that never deploys"]);
  });

  test("given a pack that makes a rule a warning, when the app is built twice in one process, then synthesis goes on and the warning is printed once", () => {
    const pack = { name: "lenient", entries: HEXPROPERTY_PACK.entries.map((e) => ({ ...e, severity: e.rule.id === "container-resources" ? "warning" as const : e.severity })) };
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      for (let i = 0; i < 2; i++) {
        const { policy } = buildApp(environments(), { outdir: "/tmp/hexproperty-unused", customize: UNSAFE[1]![2], policy: { pack } });
        expect(policy!.warnings.map((w) => w.rule)).toEqual(["container-resources"]);
      }
    } finally {
      spy.mockRestore();
    }
    expect(written.filter((l) => l.startsWith("policy warning [container-resources] hexproperty-dev/unsafe/resource"))).toHaveLength(1);
  });

  test("given a suppression without a reason, when added, then it is refused", () => {
    const { addSuppressions } = require("../../constructs/policy") as typeof import("../../constructs/policy");
    expect(() => buildApp(environments(), { outdir: "/tmp/hexproperty-unused", policy: quiet, customize: (s) => addSuppressions(s.dev!.main, [{ rule: "container-resources", reason: "" }]) })).toThrow(/has no reason/);
  });
});
