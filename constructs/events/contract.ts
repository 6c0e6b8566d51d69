import type { EventBusManifest } from "@hexproperty/runtime/manifest";
import type { Identity } from "../core/identity";
import type { EventSettings } from "../../environments";

/** Delivery settings both implementations take from config. */
export type EventDelivery = EventSettings;

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
  /** Lets `identity` check the bus is reachable (the runtime's readiness check) without reading or writing events. @default - no grant needed */
  grantInspect?(identity: Identity): void;
}
