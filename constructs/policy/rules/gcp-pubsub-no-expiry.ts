import { one } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const gcpPubsubNoExpiry: ResourceRule = {
  id: "gcp-pubsub-no-expiry",
  scope: "resource",
  layer: "events",
  stacks: ["gcp"],
  what: "Every Pub/Sub subscription never expires (`expiration_policy { ttl = \"\" }`).",
  why: "By default a subscription without activity for 31 days is deleted, and with it every undelivered event of a paused consumer.",
  fix: "Set `expiration_policy: { ttl: \"\" }` on the subscription.",
  check(resource) {
    const ttl = one(resource.config.expiration_policy)?.ttl;
    return verdictOf(resource.type === "google_pubsub_subscription", ttl === "" ? [] : [`expiration_policy.ttl is ${ttl === undefined ? "unset (31 days)" : JSON.stringify(ttl)}`]);
  },
};
