import { verdictOf, type ResourceRule } from "../rule";

export const gcpRedisTls: ResourceRule = {
  id: "gcp-redis-tls",
  scope: "resource",
  layer: "data",
  stacks: ["gcp"],
  what: "Every Memorystore Redis instance encrypts traffic in transit (`transit_encryption_mode: SERVER_AUTHENTICATION`).",
  why: "Without TLS the AUTH string and cached tenant data cross the network in plaintext.",
  fix: "Set `transit_encryption_mode: \"SERVER_AUTHENTICATION\"` and connect with TLS (the manifest's `cache.tls`).",
  check(resource) {
    const mode = resource.config.transit_encryption_mode;
    return verdictOf(resource.type === "google_redis_instance", mode === "SERVER_AUTHENTICATION" ? [] : [`transit_encryption_mode is ${mode ?? "unset (DISABLED)"}`]);
  },
};
