import { deliverySettings, type DeliveryOptions, type DeliverySettings } from "../../eventbus/settings";
import type { EventBusManifest } from "../../manifest/schema";
import type { BusObserver } from "../../eventbus/health";
import { resolveSecret } from "../../secrets";
import { caOnlyWithTls, checkSettings, intAtLeast, numberBetween, subscriptionStreamRules } from "../rules";

type KafkaManifest = Extract<EventBusManifest, { kind: "kafka" }>;

/** Settings of the Kafka EventBus, derived from manifest.eventBus (kind kafka). */
export interface KafkaSettings extends DeliverySettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly tls: boolean;
  /** PEM of the private CA that signed the brokers' certificates (manifest `ca`); undefined: the system trust store. */
  readonly ca: string | undefined;
  readonly sasl: { readonly mechanism: "scram-sha-512"; readonly username: string; readonly password: string } | undefined;
  readonly streams: KafkaManifest["streams"];
  readonly subscriptions: KafkaManifest["subscriptions"];
  /** Partitions of topics created by ensureTopology(). @default 3 */
  readonly partitions: number;
  /** Replication of topics created by ensureTopology(); -1 = the broker's default. @default -1 */
  readonly replicationFactor: number;
  /** Consumer group session timeout. @default 10000 ms */
  readonly sessionTimeoutMs: number;
  /** Consumer heartbeat interval. @default 1000 ms */
  readonly heartbeatIntervalMs: number;
  /** Partitions a subscriber works on at once (order holds within one). @default 3 */
  readonly partitionsConsumedConcurrently: number;
  /** Pause before a nacked event is delivered again. @default 50 ms */
  readonly redeliveryDelayMs: number;
  /** How long subscribe() waits for the consumer group join. @default 30000 ms */
  readonly joinTimeoutMs: number;
  /**
   * Retries of one produce request by the idempotent producer (same producer id
   * and sequence numbers, so the broker drops the copies) before publish() fails.
   * @default 20 (about 90 s with the backoff)
   */
  readonly producerRetries: number;
  /** Where the bus reports outages (consumer crashes and disconnects, producer retries): logs and metrics. */
  readonly observer: BusObserver;
}

export interface KafkaOptions extends DeliveryOptions {
  readonly partitions?: number;
  readonly replicationFactor?: number;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly partitionsConsumedConcurrently?: number;
  readonly redeliveryDelayMs?: number;
  readonly joinTimeoutMs?: number;
  readonly producerRetries?: number;
  /** @default - connect() passes the runtime's telemetry; otherwise silent */
  readonly observer?: BusObserver;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function kafkaSettings(m: KafkaManifest, o: KafkaOptions = {}): KafkaSettings {
  const delivery = deliverySettings(o);
  const s: KafkaSettings = {
    brokers: m.brokers,
    clientId: m.clientId,
    tls: m.tls,
    ca: m.tls && m.ca ? resolveSecret(m.ca, "kafka TLS CA certificate", o.env) : undefined,
    sasl: m.sasl
      ? { mechanism: m.sasl.mechanism, username: resolveSecret(m.sasl.username, "kafka SASL username", o.env), password: resolveSecret(m.sasl.password, "kafka SASL password", o.env) }
      : undefined,
    streams: m.streams,
    subscriptions: m.subscriptions,
    partitions: o.partitions ?? 3,
    replicationFactor: o.replicationFactor ?? -1,
    sessionTimeoutMs: o.sessionTimeoutMs ?? 10_000,
    heartbeatIntervalMs: o.heartbeatIntervalMs ?? 1_000,
    partitionsConsumedConcurrently: o.partitionsConsumedConcurrently ?? 3,
    redeliveryDelayMs: o.redeliveryDelayMs ?? 50,
    joinTimeoutMs: o.joinTimeoutMs ?? 30_000,
    producerRetries: o.producerRetries ?? 20,
    observer: o.observer ?? {},
    ...delivery.settings,
  };
  checkSettings("kafka event bus", [
    intAtLeast("partitions", s.partitions, 1),
    { ok: s.replicationFactor === -1 || (Number.isInteger(s.replicationFactor) && s.replicationFactor >= 1), key: "replicationFactor", value: s.replicationFactor, allowed: "-1 (broker default) or an integer >= 1" },
    { ok: s.heartbeatIntervalMs * 3 <= s.sessionTimeoutMs, key: "heartbeatIntervalMs", value: s.heartbeatIntervalMs, allowed: `at most a third of sessionTimeoutMs (${s.sessionTimeoutMs})` },
    intAtLeast("partitionsConsumedConcurrently", s.partitionsConsumedConcurrently, 1),
    numberBetween("redeliveryDelayMs", s.redeliveryDelayMs, 0),
    // the idempotent producer needs retries (kafkajs refuses 0)
    intAtLeast("producerRetries", s.producerRetries, 1),
    caOnlyWithTls(m.ca, m.tls, "only with tls: true"),
    ...delivery.rules,
    ...subscriptionStreamRules(s.streams, s.subscriptions),
  ]);
  return s;
}
