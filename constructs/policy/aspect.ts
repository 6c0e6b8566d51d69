import type { IConstruct } from "constructs";
import {
  Aspects, DefaultTokenResolver, StringConcat, TerraformDataSource, TerraformElement, TerraformOutput, TerraformProvider, TerraformResource, TerraformStack, Tokenization,
  type IAspect,
} from "cdktf";
import type { Pack } from "./packs/pack";
import type { PolicyResource, PolicySettings, Verdict } from "./rule";
import { suppressionFor } from "./suppressions";
import { mergeReports, type Finding, type PolicyReport, type SuppressedFinding } from "./report";
import { policyViolations } from "./errors";

const resolver = new DefaultTokenResolver(new StringConcat());

/** A synthesized element with the construct it came from. */
interface Evaluated {
  readonly element: TerraformElement;
  readonly resource: PolicyResource;
}

/** The element as a rule sees it: its resolved Terraform JSON body, type and address; undefined for elements rules do not look at (backends, locals). */
export function policyResource(stack: TerraformStack, element: TerraformElement): PolicyResource | undefined {
  let section: "resource" | "data" | "output" | "provider";
  if (element instanceof TerraformResource) section = "resource";
  else if (element instanceof TerraformDataSource) section = "data";
  else if (element instanceof TerraformOutput) section = "output";
  else if (element instanceof TerraformProvider) section = "provider";
  else return undefined;
  const json = Tokenization.resolve(element.toTerraform(), { scope: stack, resolver, preparing: false }) as Record<string, any>;
  const id = element.friendlyUniqueId;
  const path = element.node.path;
  switch (section) {
    case "resource":
    case "data": {
      const type = (element as TerraformResource).terraformResourceType;
      return { type, address: `${section === "data" ? "data." : ""}${type}.${id}`, path, config: json[section]?.[type]?.[id] ?? {} };
    }
    case "output":
      return { type: "output", address: `output.${id}`, path, config: json.output?.[id] ?? {} };
    case "provider": {
      const type = (element as TerraformProvider).terraformResourceType;
      const config = (json.provider?.[type] ?? [])[0] ?? {};
      return { type: "provider", address: `provider.${type}${config.alias ? `.${config.alias}` : ""}`, path, config };
    }
  }
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

  constructor(readonly pack: Pack, readonly settings: PolicySettings) {}

  visit(node: IConstruct): void {
    if (TerraformStack.isStack(node) && !this.reports.has(node)) this.reports.set(node, this.evaluate(node));
  }

  /** What the pack found in the stacks visited so far. */
  report(): PolicyReport {
    return mergeReports(this.pack.name, [...this.reports.values()]);
  }

  private evaluate(stack: TerraformStack): PolicyReport {
    const evaluated: Evaluated[] = [];
    for (const node of stack.node.findAll()) {
      if (!(node instanceof TerraformElement) || TerraformStack.of(node) !== stack) continue;
      const resource = policyResource(stack, node);
      if (resource) evaluated.push({ element: node, resource });
    }
    const byResource = new Map(evaluated.map((e) => [e.resource, e.element]));
    const errors: Finding[] = [];
    const warnings: Finding[] = [];
    const suppressed: SuppressedFinding[] = [];
    const record = (entry: Pack["entries"][number], resource: PolicyResource, verdict: Verdict) => {
      if (verdict.status !== "non-compliant") return;
      const finding: Finding = {
        rule: entry.rule.id, severity: entry.severity, stack: stack.node.id, path: resource.path, address: resource.address,
        detail: verdict.detail, why: entry.why ?? entry.rule.why, fix: entry.fix ?? entry.rule.fix,
      };
      const element = byResource.get(resource);
      const suppression = element ? suppressionFor(element, entry.rule.id) : undefined;
      if (suppression) suppressed.push({ ...finding, reason: suppression.reason });
      else (entry.severity === "error" ? errors : warnings).push(finding);
    };
    const resources = evaluated.map((e) => e.resource);
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
 * Returns the merged report (warnings, suppressions) otherwise.
 */
export function enforcePolicy(stacks: readonly TerraformStack[]): PolicyReport {
  const reports: PolicyReport[] = [];
  let pack = "";
  for (const stack of stacks) {
    for (const aspect of Aspects.of(stack).all) {
      if (!(aspect instanceof PolicyAspect)) continue;
      aspect.visit(stack);
      pack = aspect.pack.name;
    }
  }
  const seen = new Set<PolicyAspect>();
  for (const stack of stacks) for (const aspect of Aspects.of(stack).all) if (aspect instanceof PolicyAspect && !seen.has(aspect)) { seen.add(aspect); reports.push(aspect.report()); }
  const report = mergeReports(pack, reports);
  if (report.errors.length) throw policyViolations(report.pack, report.errors);
  return report;
}
