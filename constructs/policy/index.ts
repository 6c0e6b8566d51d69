/**
 * The policy pack (cdk-nag's habit for cdktf): pure rules (./rules, one per
 * file, table in RULES.md), packs that give them a severity (./packs), a
 * cdktf Aspect that evaluates them per stack, suppressions with a reason, and
 * `enforcePolicy`, which stops synthesis before anything is written.
 */
export * from "./rule";
export { RULES } from "./rules";
export type { Pack, PackEntry, Severity } from "./packs/pack";
export { HEXPROPERTY_PACK } from "./packs/hexproperty";
export { PolicyAspect, enforcePolicy, policyResources } from "./aspect";
export { addSuppressions, suppressionFor, type Suppression } from "./suppressions";
export { reportLines, type Finding, type PolicyReport, type SuppressedFinding } from "./report";
export { PolicyViolationError } from "./errors";
