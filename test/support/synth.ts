/** Helpers for stack tests: synthesize environments in-process and read the Terraform JSON. */
import { Testing } from "cdktf";
import { ENVIRONMENTS, loadEnvironments, mergePatch, type Environment, type EnvironmentConfig } from "../../environments";
import { buildApp } from "../../stacks/app";
import { LayerContext, Naming } from "../../constructs/core/context";
import { Construct } from "constructs";
import { GoogleBetaProvider } from "@cdktf/provider-google-beta/lib/provider";

Testing.setupJest();

export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  terraform: { backend?: Record<string, Record<string, unknown>>; required_providers?: Record<string, unknown> };
  provider?: Record<string, unknown>;
}

/** Every environment, validated, with optional merge patches. */
export function environments(overrides: Record<string, unknown> = {}): Environment[] {
  // Explicit selection, so a developer's HEXPROPERTY_ONLY / HEXPROPERTY_OVERRIDES never changes a test.
  return loadEnvironments({ overrides, only: Object.keys(ENVIRONMENTS) });
}

export function environment(name: string, patch?: unknown): Environment {
  return loadEnvironments({ configs: { [name]: mergePatch(ENVIRONMENTS[name] as EnvironmentConfig, patch) }, overrides: {}, only: [name] })[0]!;
}

/** Synthesizes every given environment; returns stack name -> parsed Terraform JSON. */
export function synthAll(envs: readonly Environment[]): Record<string, TerraformJson> {
  const { stacks } = buildApp(envs, { outdir: "/tmp/hexproperty-unused" });
  const out: Record<string, TerraformJson> = {};
  for (const s of Object.values(stacks)) {
    for (const stack of [s.platform, s.main]) if (stack) out[stack.node.id] = JSON.parse(Testing.synth(stack)) as TerraformJson;
  }
  return out;
}

/** A layer context whose workloads and platform are the test scope. */
export function contextFor(scope: Construct, env: Environment): LayerContext {
  const names = new Naming(env.name);
  return env.stack === "gcp"
    ? { stack: "gcp", env, names, workloads: scope, platform: scope, projectNumber: "123456789012", beta: new GoogleBetaProvider(scope, "google-beta", {}) }
    : { stack: "portable", env, names, workloads: scope, platform: new Construct(scope, "platform") };
}

/** All resources of a stack as [type, logical id, body]. */
export function resources(json: TerraformJson): Array<[string, string, Record<string, unknown>]> {
  const rows: Array<[string, string, Record<string, unknown>]> = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [logicalId, body] of Object.entries(byName)) rows.push([type, logicalId, body]);
  }
  return rows;
}

/** The bodies of all resources of one Terraform type in a synthesized stack or scope. */
export function ofType(json: { resource?: Record<string, Record<string, Record<string, unknown>>> }, type: string): Array<Record<string, unknown>> {
  return Object.values(json.resource?.[type] ?? {});
}

/** A Kubernetes object as the stacks emit it (the `manifest` of a kubernetes_manifest). */
export interface KubeObjectJson {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

/** Every Kubernetes object of a synthesized stack, optionally of one kind. */
export function kubeObjects(json: { resource?: Record<string, Record<string, Record<string, unknown>>> }, kind?: string): KubeObjectJson[] {
  return ofType(json, "kubernetes_manifest").map((r) => r.manifest as KubeObjectJson).filter((o) => kind === undefined || o.kind === kind);
}

/** The environment overrides `npm run verify` synthesizes besides the shipped files, by variant (scripts/verify/synth-variants.js; one definition). */
export const VARIANTS = (require("../../scripts/verify/synth-variants") as { VARIANTS: Record<string, Record<string, Record<string, unknown>>> }).VARIANTS;
