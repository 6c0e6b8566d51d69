import { one } from "../inspect";
import { COMPLIANT, nonCompliant, type StackRule } from "../rule";
import { streamSubscriptions } from "./gcp-pubsub-dead-letter";

export const gcpPubsubRetryPolicy: StackRule = {
  id: "gcp-pubsub-retry-policy",
  scope: "stack",
  layer: "events",
  stacks: ["gcp"],
  what: "Every Pub/Sub subscription that consumes a stream has a retry policy with a minimum and maximum backoff.",
  why: "Without a retry policy Pub/Sub redelivers immediately: a failing consumer is hammered and dead-lettering happens in seconds instead of after a backoff.",
  fix: "Give the subscription `retry_policy { minimum_backoff, maximum_backoff }` (from `events.minBackoffSeconds` / `maxBackoffSeconds`).",
  check(resources) {
    return streamSubscriptions(resources).map((s) => {
      const retry = one(s.config.retry_policy);
      return { resource: s, verdict: retry?.minimum_backoff && retry?.maximum_backoff ? COMPLIANT : nonCompliant(`subscription ${s.config.name ?? s.address} has ${retry ? "an incomplete" : "no"} retry_policy`) };
    });
  },
};
