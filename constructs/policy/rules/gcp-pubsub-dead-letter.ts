import { one } from "../inspect";
import { COMPLIANT, nonCompliant, type PolicyResource, type StackRule } from "../rule";

/** The subscriptions of a stack that consume a stream: all but the readers of a dead-letter topic. */
export function streamSubscriptions(resources: readonly PolicyResource[]): PolicyResource[] {
  const subscriptions = resources.filter((r) => r.type === "google_pubsub_subscription");
  const deadLetterTopics = new Set(subscriptions.map((s) => one(s.config.dead_letter_policy)?.dead_letter_topic).filter((t): t is string => typeof t === "string"));
  return subscriptions.filter((s) => !deadLetterTopics.has(s.config.topic));
}

export const gcpPubsubDeadLetter: StackRule = {
  id: "gcp-pubsub-dead-letter",
  scope: "stack",
  layer: "events",
  stacks: ["gcp"],
  what: "Every Pub/Sub subscription that consumes a stream (any subscription not reading a dead-letter topic) has a dead-letter policy with a topic and a bounded number of delivery attempts.",
  why: "Without a dead-letter topic one poison message is redelivered forever and blocks its ordering key; with one it is parked for inspection.",
  fix: "Give the subscription `dead_letter_policy { dead_letter_topic, max_delivery_attempts }` (the events layer does this per stream from `events.maxDeliveryAttempts`).",
  check(resources) {
    return streamSubscriptions(resources).map((s) => {
      const policy = one(s.config.dead_letter_policy);
      const problems = !policy?.dead_letter_topic ? "has no dead_letter_policy" : !policy.max_delivery_attempts ? "dead_letter_policy has no max_delivery_attempts" : undefined;
      return { resource: s, verdict: problems ? nonCompliant(`subscription ${s.config.name ?? s.address} ${problems}`) : COMPLIANT };
    });
  },
};
