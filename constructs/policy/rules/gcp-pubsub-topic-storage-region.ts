import { one, asArray, isReference } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const gcpPubsubTopicStorageRegion: ResourceRule = {
  id: "gcp-pubsub-topic-storage-region",
  scope: "resource",
  layer: "events",
  stacks: ["gcp"],
  what: "Every Pub/Sub topic restricts where messages are stored (`message_storage_policy.allowed_persistence_regions`) to the environment's region.",
  why: "Data residency: without a storage policy Pub/Sub may persist events (tenant and lease data) in any Google Cloud region.",
  fix: "Set `message_storage_policy: { allowed_persistence_regions: [<region>] }` on the topic.",
  check(resource, settings) {
    const regions = asArray(one(resource.config.message_storage_policy)?.allowed_persistence_regions).map(String);
    const problems = regions.length === 0 ? ["has no message_storage_policy"]
      : settings.region ? regions.filter((r) => !isReference(r) && r !== settings.region).map((r) => `allows persistence in ${r} (environment region ${settings.region})`) : [];
    return verdictOf(resource.type === "google_pubsub_topic", problems);
  },
};
