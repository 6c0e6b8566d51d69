import type { Rule } from "../rule";

export type Severity = "error" | "warning";

/** How a pack uses one rule: its severity, and optionally its own wording of why and how to fix. */
export interface PackEntry {
  readonly rule: Rule;
  readonly severity: Severity;
  /** @default - the rule's own `why` */
  readonly why?: string;
  /** @default - the rule's own `fix` */
  readonly fix?: string;
}

/** A named selection of rules with severities (cdk-nag's NagPack). */
export interface Pack {
  readonly name: string;
  readonly entries: readonly PackEntry[];
}
