import { invalidSetting } from "../../errors";
import type { EventBusManifest } from "../../manifest/schema";
import { resolveSecret } from "../../secrets";

type KafkaManifest = Extract<EventBusManifest, { kind: "kafka" }>;

/** Settings of the Kafka EventBus, derived from manifest.eventBus (kind kafka). */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly tls: boolean;
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
}

export interface KafkaOptions {
  readonly partitions?: number;
  readonly replicationFactor?: number;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly partitionsConsumedConcurrently?: number;
  readonly redeliveryDelayMs?: number;
  readonly joinTimeoutMs?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function kafkaSettings(m: KafkaManifest, o: KafkaOptions = {}): KafkaSettings {
  const s: KafkaSettings = {
    brokers: m.brokers,
    clientId: m.clientId,
    tls: m.tls,
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
  };
  const rules: { ok: boolean; key: string; value: unknown; allowed: string }[] = [
    { ok: Number.isInteger(s.partitions) && s.partitions >= 1, key: "partitions", value: s.partitions, allowed: "an integer >= 1" },
    { ok: s.replicationFactor === -1 || (Number.isInteger(s.replicationFactor) && s.replicationFactor >= 1), key: "replicationFactor", value: s.replicationFactor, allowed: "-1 (broker default) or an integer >= 1" },
    { ok: s.heartbeatIntervalMs * 3 <= s.sessionTimeoutMs, key: "heartbeatIntervalMs", value: s.heartbeatIntervalMs, allowed: `at most a third of sessionTimeoutMs (${s.sessionTimeoutMs})` },
    { ok: Number.isInteger(s.partitionsConsumedConcurrently) && s.partitionsConsumedConcurrently >= 1, key: "partitionsConsumedConcurrently", value: s.partitionsConsumedConcurrently, allowed: "an integer >= 1" },
    { ok: s.redeliveryDelayMs >= 0, key: "redeliveryDelayMs", value: s.redeliveryDelayMs, allowed: "a number >= 0" },
  ];
  for (const r of rules) if (!r.ok) throw invalidSetting("kafka event bus", r.key, r.value, r.allowed);
  for (const [name, sub] of Object.entries(s.subscriptions)) {
    if (!s.streams[sub.stream]) throw invalidSetting("kafka event bus", `subscriptions.${name}.stream`, sub.stream, `a stream of eventBus.streams (${Object.keys(s.streams).join(", ")})`);
  }
  return s;
}
