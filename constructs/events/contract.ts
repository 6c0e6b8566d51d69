import type { EventBusManifest } from "@hexproperty/runtime/manifest";
import type { Identity } from "../core/identity";

/** Layer 4, event infrastructure: what both implementations return. */
export interface EventsContract {
  readonly kind: "pubsub" | "kafka";
  /** stream name -> topic and dead-letter topic names. */
  readonly streams: Readonly<Record<string, { readonly topic: string; readonly deadLetterTopic: string }>>;
  /** subscription name -> its stream, provider-side subscription / consumer-group name and delivery policy. */
  readonly subscriptions: Readonly<Record<string, { readonly stream: string; readonly subscription: string; readonly maxDeliveryAttempts: number; readonly ackDeadlineSeconds: number }>>;
  /** The `eventBus` section of the runtime manifest. */
  readonly manifest: EventBusManifest;
  /** Lets `identity` publish to `stream` (Pub/Sub publisher on the topic; Kafka Write+Describe ACLs). */
  grantPublish(stream: string, identity: Identity): void;
  /**
   * Lets `identity` consume `subscription` (Pub/Sub subscriber on the
   * subscription; Kafka Read on the topic and the consumer group), and
   * read the stream's dead letters.
   */
  grantSubscribe(subscription: string, identity: Identity): void;
}

export function unknownStream(stream: string, known: readonly string[]): Error {
  return new Error(`unknown event stream "${stream}"; streams of this environment: ${known.join(", ")}`);
}

export function unknownSubscription(subscription: string, known: readonly string[]): Error {
  return new Error(`unknown subscription "${subscription}"; subscriptions of this environment: ${known.join(", ")}`);
}
