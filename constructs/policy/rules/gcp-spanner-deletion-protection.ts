import { verdictOf, type ResourceRule } from "../rule";

export const gcpSpannerDeletionProtection: ResourceRule = {
  id: "gcp-spanner-deletion-protection",
  scope: "resource",
  layer: "data",
  stacks: ["gcp"],
  what: "Where the environment asks for deletion protection, every Spanner database keeps Terraform's deletion protection on (the provider's default).",
  why: "Rebuilding the read model from the event history takes hours of projection; a `destroy` must not trigger it by accident.",
  fix: "Leave `deletion_protection` unset or true (the data layer's `deletionProtection` prop).",
  check(resource, settings) {
    return verdictOf(resource.type === "google_spanner_database" && settings.deletionProtection, resource.config.deletion_protection === false ? ["deletion_protection is false"] : []);
  },
};
