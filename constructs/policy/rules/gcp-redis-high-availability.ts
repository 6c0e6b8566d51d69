import { verdictOf, type ResourceRule } from "../rule";

export const gcpRedisHighAvailability: ResourceRule = {
  id: "gcp-redis-high-availability",
  scope: "resource",
  layer: "data",
  stacks: ["gcp"],
  what: "Where the environment configures a highly available cache, every Memorystore Redis instance is STANDARD_HA.",
  why: "A BASIC instance has no replica: a zone outage or maintenance empties the cache and sends every read to Spanner at once.",
  fix: "Set `tier: \"STANDARD_HA\"` (the data layer's `redisTier` prop, from `gcp.redisTier`).",
  check(resource, settings) {
    return verdictOf(resource.type === "google_redis_instance" && settings.cacheHighAvailability, resource.config.tier === "STANDARD_HA" ? [] : [`tier is ${resource.config.tier ?? "unset (BASIC)"}`]);
  },
};
