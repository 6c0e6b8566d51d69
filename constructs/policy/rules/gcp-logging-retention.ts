import { verdictOf, type ResourceRule } from "../rule";

export const gcpLoggingRetention: ResourceRule = {
  id: "gcp-logging-retention",
  scope: "resource",
  layer: "support",
  stacks: ["gcp"],
  what: "Every Cloud Logging bucket sets its retention explicitly (1..3650 days).",
  why: "Logs hold request data; keeping them for the provider's default rather than a decided period is both a cost and a privacy risk.",
  fix: "Set `retention_days` (from `telemetry.logRetentionDays`).",
  check(resource) {
    const days = resource.config.retention_days;
    const ok = typeof days === "number" && days >= 1 && days <= 3650;
    return verdictOf(resource.type === "google_logging_project_bucket_config" || resource.type === "google_logging_folder_bucket_config" || resource.type === "google_logging_organization_bucket_config", ok ? [] : [`retention_days is ${days ?? "unset"}`]);
  },
};
