import { verdictOf, type ResourceRule } from "../rule";

export const gcpFirestoreDeletionProtection: ResourceRule = {
  id: "gcp-firestore-deletion-protection",
  scope: "resource",
  layer: "data",
  stacks: ["gcp"],
  what: "Where the environment asks for deletion protection, every Firestore database has delete protection enabled and is abandoned, not deleted, on destroy.",
  why: "The write store holds the system of record (aggregates and outbox); a `destroy` or a rename must not drop it.",
  fix: "Set `delete_protection_state: DELETE_PROTECTION_ENABLED` and `deletion_policy: ABANDON` (the data layer's `deletionProtection` prop, from `protection.deletionProtection`).",
  check(resource, settings) {
    const c = resource.config;
    const problems: string[] = [];
    if (c.delete_protection_state !== "DELETE_PROTECTION_ENABLED") problems.push(`delete_protection_state is ${c.delete_protection_state ?? "unset"}`);
    if (c.deletion_policy !== "ABANDON") problems.push(`deletion_policy is ${c.deletion_policy ?? "unset (DELETE)"}`);
    return verdictOf(resource.type === "google_firestore_database" && settings.deletionProtection, problems);
  },
};
