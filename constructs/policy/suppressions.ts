import type { IConstruct } from "constructs";
import { suppressionWithoutReason } from "./errors";

/** An accepted finding: which rule, and why it is acceptable here. Shown in every report. */
export interface Suppression {
  /** The rule id (constructs/policy/RULES.md). */
  readonly rule: string;
  /** Why the finding is acceptable, for the reader of the report; at least a sentence. */
  readonly reason: string;
}

const registry = new WeakMap<IConstruct, Suppression[]>();

/** Suppresses rules on a construct and everything under it (cdk-nag's NagSuppressions.addResourceSuppressions). */
export function addSuppressions(construct: IConstruct, suppressions: readonly Suppression[]): void {
  for (const s of suppressions) if (!s.reason || s.reason.trim().length < 10) throw suppressionWithoutReason(s.rule, construct.node.path);
  registry.set(construct, [...(registry.get(construct) ?? []), ...suppressions]);
}

/** The suppression of `rule` that applies to `construct` (set on it or on an ancestor), if any. */
export function suppressionFor(construct: IConstruct, rule: string): Suppression | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const found = registry.get(scope)?.find((s) => s.rule === rule);
    if (found) return found;
  }
  return undefined;
}
