/**
 * The shape of a policy rule (the cdk-nag habit): a pure function of one
 * synthesized resource — its Terraform type, its resolved configuration, its
 * construct path and address — plus the environment's settings, answering
 * compliant, non-compliant or not applicable. A rule never decides how bad a
 * finding is: a pack (./packs) does.
 */

/** Which stack kind a rule is written for. */
export type StackKind = "gcp" | "portable";

/** The layer (constructs/<layer>) whose resources a rule looks at; "any" for rules over every resource. */
export type Layer = "core" | "microservices" | "application" | "events" | "data" | "support" | "interface" | "mesh" | "any";

/** One synthesized Terraform element as a rule sees it. */
export interface PolicyResource {
  /** Terraform type (`google_pubsub_subscription`, `kubernetes_manifest`), or `output` for an output. */
  readonly type: string;
  /** Terraform address: `google_pubsub_topic.events_x_ABCD1234`, `data.kubernetes_secret_v1.x`, `output.runtime_manifest`. */
  readonly address: string;
  /** Construct path (`hexproperty-dev/events/cluster/resource`). */
  readonly path: string;
  /** The configuration as Terraform reads it: snake_case arguments, references as `${...}` strings. */
  readonly config: Readonly<Record<string, any>>;
}

/** What an environment asks for, mapped once from its config (stacks/app.ts); rules read nothing else. */
export interface PolicySettings {
  /** Databases must refuse deletion. */
  readonly deletionProtection: boolean;
  /** The write store must have point-in-time recovery. */
  readonly pointInTimeRecovery: boolean;
  /** The cache must be highly available (the environment configured an HA tier). */
  readonly cacheHighAvailability: boolean;
  /** Where data may live (gcp); @default - no region check, only "no global or multi-region location" */
  readonly region?: string;
  /**
   * Construct path prefixes of the public edge (the interface layer): the one
   * place where public principals, `INGRESS_TRAFFIC_ALL` and externally
   * exposed Services are the documented need.
   */
  readonly publicEdge: readonly string[];
}

export type Verdict =
  | { readonly status: "compliant" }
  | { readonly status: "non-compliant"; readonly detail: string }
  | { readonly status: "not-applicable" };

export const COMPLIANT: Verdict = { status: "compliant" };
export const NOT_APPLICABLE: Verdict = { status: "not-applicable" };
export function nonCompliant(detail: string): Verdict {
  return { status: "non-compliant", detail };
}
/** The first problem found, or compliant; not applicable when `applicable` is false. */
export function verdictOf(applicable: boolean, problems: readonly string[]): Verdict {
  if (!applicable) return NOT_APPLICABLE;
  return problems.length ? nonCompliant(problems.join("; ")) : COMPLIANT;
}

interface RuleInfo {
  /** Stable id, used by packs and suppressions. */
  readonly id: string;
  readonly layer: Layer;
  readonly stacks: readonly StackKind[];
  /** What is checked, one sentence. */
  readonly what: string;
  /** Why it matters, one sentence. */
  readonly why: string;
  /** How to fix a finding, one sentence. */
  readonly fix: string;
}

/** A rule over one resource. */
export interface ResourceRule extends RuleInfo {
  readonly scope: "resource";
  check(resource: PolicyResource, settings: PolicySettings): Verdict;
}

/** A rule over the set of resources of one stack (e.g. "every namespace has a default-deny policy"); one verdict per resource it judges. */
export interface StackRule extends RuleInfo {
  readonly scope: "stack";
  check(resources: readonly PolicyResource[], settings: PolicySettings): ReadonlyArray<{ readonly resource: PolicyResource; readonly verdict: Verdict }>;
}

export type Rule = ResourceRule | StackRule;
