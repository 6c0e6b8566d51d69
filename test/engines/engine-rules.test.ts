/**
 * Three classes of defects the real engines reject and our own snapshots
 * cannot see, checked here without any engine, on every stack of every
 * environment as shipped and flipped to the other stack:
 * - a label or annotation Kubernetes or Google Cloud refuses;
 * - a resource generated from @cdktf/provider-google-beta bound to the google provider;
 * - a `depends_on` entry that is not a plain resource address.
 */
import { TerraformProvider, TerraformResource, TerraformDataSource, type TerraformStack } from "cdktf";
import { buildApp } from "../../stacks/app";
import { environments, VARIANTS } from "../support/synth";
import { Testing } from "cdktf";
import { policyResources, type PolicySettings } from "../../constructs/policy";
import { k8sLabelsValid } from "../../constructs/policy/rules/k8s-labels-valid";
import { gcpLabelsValid } from "../../constructs/policy/rules/gcp-labels-valid";

/** The variants `npm run verify` checks (one definition: staging's portable flip also raises minInstances to 1). */

interface Synthesized {
  readonly stacks: ReturnType<typeof buildApp>["stacks"];
  readonly json: Record<string, Record<string, any>>;
}

function synthVariant(overrides: Record<string, unknown>): Synthesized {
  const { stacks } = buildApp(environments(overrides), { outdir: "/tmp/hexproperty-unused" });
  const json: Record<string, Record<string, any>> = {};
  for (const s of Object.values(stacks)) for (const stack of [s.platform, s.main]) if (stack) json[stack.node.id] = JSON.parse(Testing.synth(stack));
  return { stacks, json };
}

/**
 * Label problems of one synthesized stack, one line each: the policy pack's
 * own label rules (one definition of what Kubernetes and Google Cloud accept,
 * environments/labels.ts) run over the stack's resources and providers.
 */
export function labelProblems(stack: string, json: Record<string, any>): string[] {
  const settings: PolicySettings = { deletionProtection: false, pointInTimeRecovery: false, cacheHighAvailability: false, publicEdge: [] };
  const problems: string[] = [];
  for (const resource of policyResources({ node: { path: stack } } as Pick<TerraformStack, "node">, json)) {
    for (const rule of [k8sLabelsValid, gcpLabelsValid]) {
      const verdict = rule.check(resource, settings);
      if (verdict.status === "non-compliant") for (const detail of verdict.detail.split("; ")) problems.push(`${stack}: ${resource.address}: ${detail}`);
    }
  }
  return problems;
}

/** `depends_on` entries that Terraform refuses (it needs a plain reference, not an interpolation). */
export function dependsOnProblems(stack: string, json: Record<string, any>): string[] {
  const problems: string[] = [];
  const address = /^(data\.|module\.)?[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*$/;
  for (const section of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries((json[section] ?? {}) as Record<string, Record<string, { depends_on?: unknown[] }>>)) {
      for (const [name, body] of Object.entries(byName)) {
        for (const entry of body.depends_on ?? []) {
          if (typeof entry !== "string" || !address.test(entry)) problems.push(`${stack}: ${section === "data" ? "data." : ""}${type}.${name}: depends_on entry ${JSON.stringify(entry)} is not a plain resource address`);
        }
      }
    }
  }
  for (const [name, body] of Object.entries((json.output ?? {}) as Record<string, { depends_on?: unknown[] }>)) {
    for (const entry of body.depends_on ?? []) if (typeof entry !== "string" || !address.test(entry)) problems.push(`${stack}: output.${name}: depends_on entry ${JSON.stringify(entry)} is not a plain resource address`);
  }
  return problems;
}

/** Lifecycle conditions that Terraform's JSON syntax would read as a constant string (it needs "${...}"). */
export function conditionProblems(stack: string, json: Record<string, any>): string[] {
  const problems: string[] = [];
  for (const section of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries((json[section] ?? {}) as Record<string, Record<string, { lifecycle?: Record<string, Array<{ condition?: unknown }>> }>>)) {
      for (const [name, body] of Object.entries(byName)) {
        for (const kind of ["precondition", "postcondition"]) {
          for (const c of body.lifecycle?.[kind] ?? []) {
            if (typeof c.condition !== "string" || !/^\$\{[\s\S]*\}$/.test(c.condition)) problems.push(`${stack}: ${section === "data" ? "data." : ""}${type}.${name}: ${kind} condition ${JSON.stringify(c.condition)} is not a Terraform expression ("\${...}")`);
          }
        }
      }
    }
  }
  return problems;
}

/** Resources and data sources generated from a provider's bindings that would be bound to another provider. */
export function bindingProblems(synth: Synthesized): string[] {
  const problems: string[] = [];
  for (const s of Object.values(synth.stacks)) {
    for (const stack of [s.platform, s.main]) {
      if (!stack) continue;
      for (const node of stack.node.findAll()) {
        if (!(node instanceof TerraformResource) && !(node instanceof TerraformDataSource)) continue;
        const generatedFor = node.terraformGeneratorMetadata?.providerName;
        if (!generatedFor) continue;
        const provider: TerraformProvider | undefined = node.provider;
        // Without an explicit provider, Terraform binds by the type's prefix (google_* -> google).
        const boundTo = provider ? provider.terraformResourceType : node.terraformResourceType.split("_")[0];
        if (boundTo !== generatedFor) problems.push(`${stack.node.id}: ${node.terraformResourceType} at ${node.node.path} comes from the ${generatedFor} bindings but is bound to the ${boundTo} provider`);
      }
    }
  }
  return problems;
}

describe.each(Object.entries(VARIANTS))("the real engines' rules, environments %s", (_variant, overrides) => {
  const synth = synthVariant(overrides);

  test("given every stack, when its labels and annotations are checked, then Kubernetes and Google Cloud accept each key and value", () => {
    expect(Object.entries(synth.json).flatMap(([stack, json]) => labelProblems(stack, json))).toEqual([]);
  });

  test("given every stack, when bindings are checked, then each resource is bound to the provider its binding was generated for", () => {
    expect(bindingProblems(synth)).toEqual([]);
  });

  test("given every stack, when depends_on is checked, then every entry is a plain resource address", () => {
    expect(Object.entries(synth.json).flatMap(([stack, json]) => dependsOnProblems(stack, json))).toEqual([]);
  });

  test("given every stack, when lifecycle conditions are checked, then each is an expression, not a constant string", () => {
    const found = Object.entries(synth.json).flatMap(([stack, json]) => conditionProblems(stack, json));
    expect(found).toEqual([]);
  });
});

describe("the rule checks themselves", () => {
  test("given a condition written as plain text, when checked, then it is reported", () => {
    expect(conditionProblems("s", { data: { kubernetes_secret_v1: { a: { lifecycle: { postcondition: [{ condition: "can(self.data)" }, { condition: "${can(self.data)}" }] } } } } })).toHaveLength(1);
  });

  test("given invalid labels, when checked, then each is reported with the rule", () => {
    const json = { resource: { kubernetes_manifest: { sa: { manifest: { metadata: { labels: { "app.kubernetes.io/component": "event processor", "-bad": "x" } } } } }, google_pubsub_topic: { t: { labels: { Env: "Prod" } } } } };
    const problems = labelProblems("s", json);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('value "event processor"');
  });

  test("given a google provider with an invalid default label, when checked, then it is reported", () => {
    expect(labelProblems("s", { provider: { google: [{ default_labels: { Env: "prod" } }] } })).toEqual([expect.stringContaining('s: provider.google: label key "Env"')]);
  });

  test("given an interpolated depends_on, when checked, then it is reported", () => {
    expect(dependsOnProblems("s", { resource: { helm_release: { a: { depends_on: ["${helm_release.b}"] }, c: { depends_on: ["helm_release.b"] } } } })).toEqual(['s: helm_release.a: depends_on entry "${helm_release.b}" is not a plain resource address']);
  });
});
