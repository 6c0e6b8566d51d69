import { asArray, one, isReference } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const gcpSecretReplicationRegional: ResourceRule = {
  id: "gcp-secret-replication-regional",
  scope: "resource",
  layer: "data",
  stacks: ["gcp"],
  what: "Every Secret Manager secret uses user-managed replication with replicas only in the environment's region (no automatic replication).",
  why: "Data residency: automatic replication copies the secret to Google-chosen regions worldwide.",
  fix: "Set `replication: { user_managed: { replicas: [{ location: <region> }] } }`.",
  check(resource, settings) {
    const replication = one(resource.config.replication) ?? {};
    const problems: string[] = [];
    if (replication.auto !== undefined || replication.automatic !== undefined) problems.push("uses automatic replication");
    const replicas = asArray(one(replication.user_managed)?.replicas);
    if (!replication.user_managed) problems.push("has no user_managed replication");
    for (const r of replicas) if (settings.region && typeof r?.location === "string" && !isReference(r.location) && r.location !== settings.region) problems.push(`has a replica in ${r.location}, not ${settings.region}`);
    return verdictOf(resource.type === "google_secret_manager_secret", [...new Set(problems)]);
  },
};
