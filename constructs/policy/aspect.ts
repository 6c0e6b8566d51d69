import type { IConstruct } from "constructs";
import { Aspects, TerraformElement, TerraformStack, type IAspect } from "cdktf";
import type { Pack } from "./packs/pack";
import type { PolicyResource, PolicySettings, Verdict } from "./rule";
import { suppressionFor } from "./suppressions";
import { mergeReports, type Finding, type PolicyReport, type SuppressedFinding } from "./report";
import { policyViolations } from "./errors";
import { asPreparing, SYNTH_FAST_PATHS, withSynthesisFastPaths } from "../core/tokens";

/**
 * The resources of a synthesized stack (its `toTerraform()` JSON) as rules see
 * them: type, Terraform address, construct path and configuration.
 */
export function policyResources(stack: Pick<TerraformStack, "node">, json: Record<string, any>): PolicyResource[] {
  const out: PolicyResource[] = [];
  const body = (b: Record<string, any>) => {
    const { ["//"]: _metadata, ...config } = b;
    return config;
  };
  for (const section of ["resource", "data"] as const) {
    for (const [type, byId] of Object.entries((json[section] ?? {}) as Record<string, Record<string, any>>)) {
      for (const [id, b] of Object.entries(byId)) {
        out.push({ type, address: `${section === "data" ? "data." : ""}${type}.${id}`, path: b?.["//"]?.metadata?.path ?? `${stack.node.path}/${id}`, config: body(b) });
      }
    }
  }
  const outputPaths = new Map<string, string>();
  const collect = (node: unknown, prefix: string) => {
    if (typeof node === "string") outputPaths.set(node, prefix);
    else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) collect(v, prefix ? `${prefix}/${k}` : k);
  };
  collect(json["//"]?.outputs, "");
  for (const [id, b] of Object.entries((json.output ?? {}) as Record<string, any>)) out.push({ type: "output", address: `output.${id}`, path: outputPaths.get(id) ?? `${stack.node.path}/${id}`, config: b ?? {} });
  for (const [type, list] of Object.entries((json.provider ?? {}) as Record<string, any[]>)) {
    for (const p of list ?? []) out.push({ type: "provider", address: `provider.${type}${p?.alias ? `.${p.alias}` : ""}`, path: `${stack.node.path}/provider/${type}`, config: p ?? {} });
  }
  return out;
}

/** How many Terraform elements a stack has (to know whether a synthesized JSON is still current). */
function elementCount(stack: TerraformStack): number {
  return stack.node.findAll().filter((n) => n instanceof TerraformElement).length;
}

/** A stack synthesized in memory: its JSON, and how many elements it had when they were prepared and when the JSON was made. */
interface Synthesized {
  readonly json: Record<string, any>;
  /** Elements that the preparing pass resolved (cross-stack references registered). */
  readonly prepared: number;
  /** Elements in `json`. */
  readonly count: number;
}

/**
 * What `app.synth()` would write for the stack (`prepareStack()`, then
 * `toTerraform()`), with one resolution of its elements instead of two: the
 * stack's backend first, as `prepareStack()` does, then `toTerraform()`
 * resolving as `prepareStack()` does (constructs/core/tokens.ts). If that
 * added an element (a cross-stack reference's remote state), the JSON is
 * made again, as cdktf would after `prepareStack()`.
 */
function synthesizeInMemory(stack: TerraformStack): Synthesized {
  // cdktf's own path (the reference the fast paths are compared with): what Testing.synth does.
  // (prepared and count are then never used: enforcePolicy reuses nothing without the fast paths)
  if (!SYNTH_FAST_PATHS) return { json: stack.toTerraform() as Record<string, any>, prepared: -1, count: -1 };
  stack.ensureBackendExists();
  const prepared = elementCount(stack);
  let json = asPreparing(() => stack.toTerraform() as Record<string, any>);
  const count = elementCount(stack);
  if (count !== prepared) json = withSynthesisFastPaths(() => stack.toTerraform() as Record<string, any>);
  return { json, prepared, count };
}

/**
 * Lets `app.synth()` write the JSON the pack already synthesized instead of
 * synthesizing the stack a second time, and skip `prepareStack()` (a second
 * resolution of every element) when the pack's pass prepared every element
 * the stack has, as long as no element was added since (cdktf's prepareStack
 * of another stack may add cross-stack outputs; then the stack is prepared
 * and synthesized again as usual).
 */
function reuseSynthesized(stack: TerraformStack, { json, prepared, count }: Synthesized): void {
  const inner = stack.synthesizer;
  const prepare = stack.prepareStack.bind(stack);
  stack.prepareStack = () => {
    if (elementCount(stack) !== prepared) prepare();
  };
  stack.synthesizer = {
    synthesize(session) {
      if (elementCount(stack) !== count) return inner.synthesize(session);
      const own = Object.getOwnPropertyDescriptor(stack, "toTerraform");
      stack.toTerraform = () => json;
      try {
        inner.synthesize(session);
      } finally {
        if (own) Object.defineProperty(stack, "toTerraform", own);
        else delete (stack as { toTerraform?: unknown }).toTerraform;
      }
    },
  };
}

/**
 * The policy pack as a cdktf Aspect: added to a stack, it evaluates every
 * rule of its pack over the stack's synthesized resources once (on the first
 * visit of the stack; set rules need the whole stack), with the
 * environment's settings. Findings are read with `report()`; `enforcePolicy`
 * throws on error-level findings before anything is written.
 */
export class PolicyAspect implements IAspect {
  private readonly reports = new Map<TerraformStack, PolicyReport>();
  private readonly inMemory = new Map<TerraformStack, Synthesized>();

  constructor(readonly pack: Pack, readonly settings: PolicySettings) {}

  visit(node: IConstruct): void {
    if (TerraformStack.isStack(node) && !this.reports.has(node)) this.reports.set(node, this.evaluate(node));
  }

  /** What the pack found in the stacks visited so far. */
  report(): PolicyReport {
    return mergeReports(this.pack.name, [...this.reports.values()]);
  }

  /** The stack's in-memory synthesis, if the pack evaluated it (for `enforcePolicy`). */
  inMemorySynthesis(stack: TerraformStack): Synthesized | undefined {
    return this.inMemory.get(stack);
  }

  private evaluate(stack: TerraformStack): PolicyReport {
    // One in-memory synthesis of the stack, the same JSON app.synth() writes.
    const synthesized = synthesizeInMemory(stack);
    this.inMemory.set(stack, synthesized);
    const json = synthesized.json;
    const resources = policyResources(stack, json);
    const constructs = new Map(stack.node.findAll().map((c) => [c.node.path, c] as const));
    const errors: Finding[] = [];
    const warnings: Finding[] = [];
    const suppressed: SuppressedFinding[] = [];
    const record = (entry: Pack["entries"][number], resource: PolicyResource, verdict: Verdict) => {
      if (verdict.status !== "non-compliant") return;
      const finding: Finding = {
        rule: entry.rule.id, severity: entry.severity, stack: stack.node.id, path: resource.path, address: resource.address,
        detail: verdict.detail, why: entry.why ?? entry.rule.why, fix: entry.fix ?? entry.rule.fix,
      };
      const construct = constructs.get(resource.path);
      const suppression = construct ? suppressionFor(construct, entry.rule.id) : undefined;
      if (suppression) suppressed.push({ ...finding, reason: suppression.reason });
      else (entry.severity === "error" ? errors : warnings).push(finding);
    };
    for (const entry of this.pack.entries) {
      const rule = entry.rule;
      if (rule.scope === "stack") for (const { resource, verdict } of rule.check(resources, this.settings)) record(entry, resource, verdict);
      else for (const resource of resources) record(entry, resource, rule.check(resource, this.settings));
    }
    return { pack: this.pack.name, errors, warnings, suppressed, resources: resources.length };
  }
}

/**
 * Runs the PolicyAspects added to `stacks` now (cdktf would only run them
 * inside `app.synth()`, after writing earlier stacks) and throws one error
 * listing every error-level finding, so a failing app writes nothing.
 * Otherwise returns the merged report (warnings, suppressions), and
 * `app.synth()` writes the JSON the pack synthesized rather than
 * synthesizing each stack again.
 */
export function enforcePolicy(stacks: readonly TerraformStack[]): PolicyReport {
  const aspects = new Set<PolicyAspect>();
  for (const stack of stacks) {
    for (const aspect of Aspects.of(stack).all) {
      if (!(aspect instanceof PolicyAspect)) continue;
      aspect.visit(stack);
      aspects.add(aspect);
    }
  }
  const report = mergeReports([...aspects][0]?.pack.name ?? "", [...aspects].map((a) => a.report()));
  if (report.errors.length) throw policyViolations(report.pack, report.errors);
  for (const stack of stacks) {
    const synthesized = [...aspects].map((a) => a.inMemorySynthesis(stack)).find((j) => j !== undefined);
    if (synthesized && SYNTH_FAST_PATHS) reuseSynthesized(stack, synthesized);
  }
  return report;
}
