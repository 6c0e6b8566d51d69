/**
 * Typed settings of the Pub/Sub event bus: the manifest's `eventBus` section
 * (kind "pubsub") plus adapter options, with defaults and explicit checks.
 */
import type { BusObserver } from "../../eventbus/health";
import { deliverySettings, type DeliveryOptions, type DeliverySettings } from "../../eventbus/settings";
import type { EventBusManifest } from "../../manifest/schema";
import { checkSettings, intAtLeast, numberBetween, subscriptionStreamRules, type SettingRule } from "../rules";

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

export interface PubSubEventBusOptions extends DeliveryOptions {
  /** Who dead-letters. @default - "adapter" when `emulatorHost` is set, "server" otherwise */
  readonly deadLettering?: DeadLetterMode;
  /** Subscription retry policy that ensureTopology() sets. @default - 1 s minimum, 10 s maximum backoff */
  readonly retryBackoff?: { readonly minimumSeconds: number; readonly maximumSeconds: number };
  /** Messages a subscriber may hold unsettled. @default 100 */
  readonly maxOutstandingMessages?: number;
  /** How long the publisher batches messages before sending. @default 5 ms */
  readonly publishBatchMs?: number;
  /** How long one publish may take before it fails (and the caller retries). @default 60000 ms */
  readonly publishTimeoutMs?: number;
  /** Called with errors of a running subscription (it keeps running when the client retries). @default - one line on stderr */
  readonly onError?: (error: Error) => void;
  /** Where outages (a failing publisher, a subscriber recovering its stream) and their end are logged. @default - connect() passes the runtime's telemetry; otherwise silent */
  readonly observer?: BusObserver;
}

export interface PubSubSettings extends DeliverySettings {
  readonly projectId: string;
  readonly emulatorHost: string | undefined;
  readonly streams: PubSubManifest["streams"];
  readonly subscriptions: PubSubManifest["subscriptions"];
  readonly deadLettering: DeadLetterMode;
  readonly retryBackoff: { readonly minimumSeconds: number; readonly maximumSeconds: number };
  readonly maxOutstandingMessages: number;
  readonly publishBatchMs: number;
  readonly publishTimeoutMs: number;
  readonly onError: (error: Error) => void;
  readonly observer: BusObserver;
}

const ADAPTER = "pubsub event bus";

/** The subscription ensureTopology() creates on a dead-letter topic so takeDeadLetters() can read it. */
export function deadLetterReaderSubscription(deadLetterTopic: string): string {
  return `${deadLetterTopic}-reader`;
}

export function pubSubSettings(manifest: PubSubManifest, options: PubSubEventBusOptions = {}): PubSubSettings {
  const delivery = deliverySettings(options);
  const settings: PubSubSettings = {
    projectId: manifest.projectId,
    emulatorHost: manifest.emulatorHost,
    streams: manifest.streams,
    subscriptions: manifest.subscriptions,
    deadLettering: options.deadLettering ?? (manifest.emulatorHost ? "adapter" : "server"),
    retryBackoff: options.retryBackoff ?? { minimumSeconds: 1, maximumSeconds: 10 },
    maxOutstandingMessages: options.maxOutstandingMessages ?? 100,
    publishBatchMs: options.publishBatchMs ?? 5,
    publishTimeoutMs: options.publishTimeoutMs ?? 60_000,
    onError: options.onError ?? ((e) => process.stderr.write(`${ADAPTER}: subscription error: ${e.message.replace(/\s+/g, " ")}\n`)),
    observer: options.observer ?? {},
    ...delivery.settings,
  };
  const { minimumSeconds, maximumSeconds } = settings.retryBackoff;
  const rules: SettingRule[] = [
    { ok: settings.deadLettering === "server" || settings.deadLettering === "adapter", key: "deadLettering", value: settings.deadLettering, allowed: '"server" or "adapter"' },
    numberBetween("retryBackoff.minimumSeconds", minimumSeconds, 0, 600),
    { ok: maximumSeconds >= minimumSeconds && maximumSeconds <= 600, key: "retryBackoff.maximumSeconds", value: maximumSeconds, allowed: "minimumSeconds to 600" },
    intAtLeast("maxOutstandingMessages", settings.maxOutstandingMessages, 1),
    numberBetween("publishBatchMs", settings.publishBatchMs, 0, 1000),
    numberBetween("publishTimeoutMs", settings.publishTimeoutMs, 1, 600_000),
    ...delivery.rules,
    ...subscriptionStreamRules(manifest.streams, manifest.subscriptions),
  ];
  for (const [name, sub] of Object.entries(manifest.subscriptions)) {
    rules.push({ ok: sub.maxDeliveryAttempts >= 5, key: `subscriptions.${name}.maxDeliveryAttempts`, value: sub.maxDeliveryAttempts, allowed: "5 to 100 (the range Pub/Sub accepts)" });
    rules.push({ ok: sub.ackDeadlineSeconds >= 10, key: `subscriptions.${name}.ackDeadlineSeconds`, value: sub.ackDeadlineSeconds, allowed: "10 to 600 (the range Pub/Sub accepts)" });
  }
  checkSettings(ADAPTER, rules);
  return settings;
}
