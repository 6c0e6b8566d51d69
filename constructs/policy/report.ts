import type { Severity } from "./packs/pack";

/** One non-compliant verdict, as a pack words it. */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  /** Stack name (`hexproperty-dev`). */
  readonly stack: string;
  /** Construct path. */
  readonly path: string;
  /** Terraform address. */
  readonly address: string;
  /** What the rule found. */
  readonly detail: string;
  readonly why: string;
  readonly fix: string;
}

export interface SuppressedFinding extends Finding {
  readonly reason: string;
}

/** What the pack found over a set of stacks. */
export interface PolicyReport {
  readonly pack: string;
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Resources (and outputs, providers) evaluated. */
  readonly resources: number;
}

/** The lines a successful synthesis prints: every warning and every suppression, one line each. */
export function reportLines(report: PolicyReport): string[] {
  return [
    ...report.warnings.map((f) => `policy warning [${f.rule}] ${f.path} (${f.stack}: ${f.address}): ${f.detail}. Fix: ${f.fix}`),
    ...[...groupSuppressed(report.suppressed)].map(([, group]) => `policy suppressed [${group[0]!.rule}] ${group[0]!.stack}: ${group.map((f) => f.path.slice(f.stack.length + 1)).join(", ")}. Reason: ${group[0]!.reason}`),
  ];
}

/** Suppressed findings of one rule, stack and reason, in first-seen order. */
function groupSuppressed(findings: readonly SuppressedFinding[]): Map<string, SuppressedFinding[]> {
  const groups = new Map<string, SuppressedFinding[]>();
  for (const f of findings) {
    const key = `${f.rule}\0${f.stack}\0${f.reason}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return groups;
}

export function mergeReports(pack: string, reports: readonly PolicyReport[]): PolicyReport {
  return {
    pack,
    errors: reports.flatMap((r) => r.errors),
    warnings: reports.flatMap((r) => r.warnings),
    suppressed: reports.flatMap((r) => r.suppressed),
    resources: reports.reduce((n, r) => n + r.resources, 0),
  };
}
