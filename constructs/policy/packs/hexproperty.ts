import { RULES } from "../rules";
import type { Pack, Severity } from "./pack";

/**
 * Rules whose findings print as warnings instead of stopping synthesis: the
 * concern is real but the fix needs a decision (a schedule, a bucket) that no
 * environment key carries yet. Everything else is an error.
 */
const WARNINGS: ReadonlySet<string> = new Set(["gcp-firestore-backup-schedule"]);

/** The HexProperty pack: every rule, errors unless listed in WARNINGS. */
export const HEXPROPERTY_PACK: Pack = {
  name: "hexproperty",
  entries: RULES.map((rule) => ({ rule, severity: (WARNINGS.has(rule.id) ? "warning" : "error") as Severity })),
};
