/**
 * Every environment on both stacks emits one `runtime_manifest` output that
 * the runtime's schema accepts, with secrets only as references.
 */
import { runtimeManifestSchema } from "@hexproperty/runtime/manifest";
import { environments, synthAll, VARIANTS } from "../support/synth";

const NAMES = ["dev", "staging", "prod"] as const;
/** verify's flip overrides: a flip to portable also raises minInstances 0 to 1 (an HPA cannot scale to zero). */
const onStack = (stack: "gcp" | "portable") => environments(Object.fromEntries(NAMES.map((n) => [n, { ...(stack === "portable" ? VARIANTS.flipped[n] : {}), stack }])));

describe.each(["gcp", "portable"] as const)("runtime manifest on the %s stack", (stack) => {
  const stacks = synthAll(onStack(stack));

  test.each(NAMES)("given %s, when synthesized, then its main stack has one runtime_manifest output that validates against the runtime schema", (name) => {
    const json = stacks[`hexproperty-${name}`]!;
    const value = json.output?.runtime_manifest?.value;
    const parsed = runtimeManifestSchema.safeParse(value);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect((value as { stack: string }).stack).toBe(stack);
  });

  test("given every environment, when synthesized, then no manifest carries a secret value, only references", () => {
    for (const name of NAMES) {
      const value = stacks[`hexproperty-${name}`]!.output!.runtime_manifest!.value as Record<string, any>;
      expect(JSON.stringify(value)).not.toMatch(/auth_string|secret_data|\.password\}/);
      const credentials = [value.cache?.auth, value.writeStore?.password, value.readStore?.password, value.eventBus?.sasl?.username, value.eventBus?.sasl?.password].filter((c) => c !== undefined);
      expect(credentials.length).toBeGreaterThan(0);
      for (const ref of credentials) expect(["secret-manager", "kubernetes-secret", "env"]).toContain(ref.kind);
    }
  });
});

describe("runtime manifest guard", () => {
  test("given a manifest the runtime rejects, when validated, then the schema says where (so this test can fail)", () => {
    const value = structuredClone(synthAll(environments({}))["hexproperty-staging"]!.output!.runtime_manifest!.value) as Record<string, any>;
    value.eventBus.kind = "sqs";
    expect(runtimeManifestSchema.safeParse(value).success).toBe(false);
  });
});
