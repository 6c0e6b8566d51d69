import { verdictOf, type ResourceRule } from "../rule";

export const gcpRedisAuth: ResourceRule = {
  id: "gcp-redis-auth",
  scope: "resource",
  layer: "data",
  stacks: ["gcp"],
  what: "Every Memorystore Redis instance requires AUTH.",
  why: "Without AUTH anything on the VPC can read and overwrite cached read-model entries.",
  fix: "Set `auth_enabled: true`; the AUTH string goes to Secret Manager and reaches workloads only as a reference.",
  check(resource) {
    return verdictOf(resource.type === "google_redis_instance", resource.config.auth_enabled === true ? [] : [`auth_enabled is ${resource.config.auth_enabled ?? "unset (false)"}`]);
  },
};
