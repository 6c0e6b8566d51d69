/**
 * Typed settings of the Pub/Sub event bus: the manifest's `eventBus` section
 * (kind "pubsub") plus adapter options, with defaults and explicit checks.
 */
import { invalidSetting } from "../../errors";
import type { EventBusManifest } from "../../manifest/schema";

export type PubSubManifest = Extract<EventBusManifest, { kind: "pubsub" }>;

/**
 * Who counts delivery attempts and moves exhausted messages to the dead-letter topic.
 * - "server": the subscription's deadLetterPolicy (Pub/Sub in the cloud); the attempt
 *   number comes from `message.deliveryAttempt`.
 * - "adapter": this adapter counts attempts per subscription and republishes the message
 *   to the dead-letter topic itself, then acks it. Used against the emulator, which
 *   does not dead-letter messages of subscriptions with message ordering enabled.
 */
export type DeadLetterMode = "server" | "adapter";

export interface PubSubEventBusOptions {
  /** Who dead-letters. @default - "adapter" when `emulatorHost` is set, "server" otherwise */
  readonly deadLettering?: DeadLetterMode;
  /** Subscription retry policy that ensureTopology() sets. @default - 1 s minimum, 10 s maximum backoff */
  readonly retryBackoff?: { readonly minimumSeconds: number; readonly maximumSeconds: number };
  /** Messages a subscriber may hold unsettled. @default 100 */
  readonly maxOutstandingMessages?: number;
  /** How long the publisher batches messages before sending. @default 5 ms */
  readonly publishBatchMs?: number;
  /** Called with errors of a running subscription (it keeps running when the client retries). @default - one line on stderr */
  readonly onError?: (error: Error) => void;
}

export interface PubSubSettings {
  readonly projectId: string;
  readonly emulatorHost: string | undefined;
  readonly streams: PubSubManifest["streams"];
  readonly subscriptions: PubSubManifest["subscriptions"];
  readonly deadLettering: DeadLetterMode;
  readonly retryBackoff: { readonly minimumSeconds: number; readonly maximumSeconds: number };
  readonly maxOutstandingMessages: number;
  readonly publishBatchMs: number;
  readonly onError: (error: Error) => void;
}

const ADAPTER = "pubsub event bus";

/** The subscription ensureTopology() creates on a dead-letter topic so takeDeadLetters() can read it. */
export function deadLetterReaderSubscription(deadLetterTopic: string): string {
  return `${deadLetterTopic}-reader`;
}

export function pubSubSettings(manifest: PubSubManifest, options: PubSubEventBusOptions = {}): PubSubSettings {
  const settings: PubSubSettings = {
    projectId: manifest.projectId,
    emulatorHost: manifest.emulatorHost,
    streams: manifest.streams,
    subscriptions: manifest.subscriptions,
    deadLettering: options.deadLettering ?? (manifest.emulatorHost ? "adapter" : "server"),
    retryBackoff: options.retryBackoff ?? { minimumSeconds: 1, maximumSeconds: 10 },
    maxOutstandingMessages: options.maxOutstandingMessages ?? 100,
    publishBatchMs: options.publishBatchMs ?? 5,
    onError: options.onError ?? ((e) => process.stderr.write(`${ADAPTER}: subscription error: ${e.message.replace(/\s+/g, " ")}\n`)),
  };
  const rules: { ok: boolean; key: string; value: unknown; allowed: string }[] = [
    { ok: settings.deadLettering === "server" || settings.deadLettering === "adapter", key: "deadLettering", value: settings.deadLettering, allowed: '"server" or "adapter"' },
    {
      ok: settings.retryBackoff.minimumSeconds >= 0 && settings.retryBackoff.minimumSeconds <= 600,
      key: "retryBackoff.minimumSeconds",
      value: settings.retryBackoff.minimumSeconds,
      allowed: "0 to 600",
    },
    {
      ok: settings.retryBackoff.maximumSeconds >= settings.retryBackoff.minimumSeconds && settings.retryBackoff.maximumSeconds <= 600,
      key: "retryBackoff.maximumSeconds",
      value: settings.retryBackoff.maximumSeconds,
      allowed: "minimumSeconds to 600",
    },
    { ok: Number.isInteger(settings.maxOutstandingMessages) && settings.maxOutstandingMessages >= 1, key: "maxOutstandingMessages", value: settings.maxOutstandingMessages, allowed: "an integer >= 1" },
    { ok: settings.publishBatchMs >= 0 && settings.publishBatchMs <= 1000, key: "publishBatchMs", value: settings.publishBatchMs, allowed: "0 to 1000" },
  ];
  for (const [name, sub] of Object.entries(manifest.subscriptions)) {
    rules.push({ ok: sub.stream in manifest.streams, key: `subscriptions.${name}.stream`, value: sub.stream, allowed: `a stream of eventBus.streams (${Object.keys(manifest.streams).join(", ") || "none"})` });
    rules.push({ ok: sub.maxDeliveryAttempts >= 5, key: `subscriptions.${name}.maxDeliveryAttempts`, value: sub.maxDeliveryAttempts, allowed: "5 to 100 (the range Pub/Sub accepts)" });
    rules.push({ ok: sub.ackDeadlineSeconds >= 10, key: `subscriptions.${name}.ackDeadlineSeconds`, value: sub.ackDeadlineSeconds, allowed: "10 to 600 (the range Pub/Sub accepts)" });
  }
  for (const rule of rules) if (!rule.ok) throw invalidSetting(ADAPTER, rule.key, rule.value, rule.allowed);
  return settings;
}
