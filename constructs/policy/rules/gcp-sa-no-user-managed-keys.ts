import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type ResourceRule } from "../rule";

export const gcpSaNoUserManagedKeys: ResourceRule = {
  id: "gcp-sa-no-user-managed-keys",
  scope: "resource",
  layer: "core",
  stacks: ["gcp"],
  what: "No service account key (google_service_account_key) is created; service accounts are keyless.",
  why: "A key is a long-lived credential that lands in Terraform state and outlives the workload; Cloud Run and GKE get short-lived tokens instead.",
  fix: "Remove the key; run the workload as the service account (Cloud Run `service_account`, Workload Identity) or use workload identity federation for CI.",
  check(resource) {
    if (resource.type === "google_service_account_key") return nonCompliant(`creates a user-managed key for ${resource.config.service_account_id ?? "a service account"}`);
    return resource.type === "google_service_account" ? COMPLIANT : NOT_APPLICABLE;
  },
};
