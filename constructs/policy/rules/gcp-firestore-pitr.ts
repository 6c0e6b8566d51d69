import { verdictOf, type ResourceRule } from "../rule";

export const gcpFirestorePitr: ResourceRule = {
  id: "gcp-firestore-pitr",
  scope: "resource",
  layer: "data",
  stacks: ["gcp"],
  what: "Where the environment asks for point-in-time recovery, every Firestore database has it enabled.",
  why: "Without PITR a bad deploy that corrupts aggregates can only be undone from the last backup, losing every write since.",
  fix: "Set `point_in_time_recovery_enablement: POINT_IN_TIME_RECOVERY_ENABLED` (the data layer's `pointInTimeRecovery` prop, from `protection.pointInTimeRecovery`).",
  check(resource, settings) {
    const value = resource.config.point_in_time_recovery_enablement;
    return verdictOf(resource.type === "google_firestore_database" && settings.pointInTimeRecovery, value === "POINT_IN_TIME_RECOVERY_ENABLED" ? [] : [`point_in_time_recovery_enablement is ${value ?? "unset (disabled)"}`]);
  },
};
