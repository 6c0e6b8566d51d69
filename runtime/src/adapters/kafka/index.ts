/**
 * EventBus on Kafka (kafkajs).
 *
 * Publish: the idempotent producer (one request in flight per broker, acks
 * from all in-sync replicas, retries keep the producer id and sequence
 * numbers, so a broker restart does not write a message twice). Ordering key =
 * message key (same key, same partition, in order); wire format in ./wire.
 * Publishes to one topic are sent one request at a time, each carrying every
 * publish queued meanwhile (./sender).
 *
 * Subscribe: one consumer group per manifest subscription (./subscription).
 *
 * Outages are visible: consumer crashes and disconnects and producer retries
 * go to the observer's logger and counters, and health()/ping() report the
 * bus as degraded until it recovers.
 */
import type { Admin, Kafka, LogEntry, Message, Producer } from "kafkajs";
import { adapterClosed, backendUnreachable, busDegraded, oneLine, unknownStream, unknownSubscription } from "../../errors";
import { BusHealth } from "../../eventbus/health";
import type { EventBusManifest } from "../../manifest/schema";
import type { DeliveryHandler, EventBus, Health, HealthReporter, OutgoingEvent, SubscriptionHandle, TopologyProvisioner } from "../../ports";
import { TopicSender } from "./sender";
import { kafkaSettings, type KafkaOptions, type KafkaSettings } from "./settings";
import { BACKEND, KafkaSubscriber, type SubscriptionHost } from "./subscriber";
import { toKafkaMessage } from "./wire";

export * from "./settings";
export { toKafkaMessage, fromKafkaMessage, fallbackEventId } from "./wire";
export type { KafkaPosition } from "./wire";
export { DEAD_LETTER_HEADERS } from "./subscriber";

/** Metric names the bus counts (the telemetry adds its prefix). */
export const KAFKA_METRICS = {
  producerRetries: "eventbus_kafka_producer_retries",
  publishFailures: "eventbus_kafka_publish_failures",
  consumerProblems: "eventbus_kafka_consumer_problems",
  producerReplaced: "eventbus_kafka_producer_replaced",
} as const;

/** Broker errors that mean the idempotent producer's state (sequence numbers, producer id) no longer matches the broker's. */
const PRODUCER_STATE_REJECTED = new Set(["OUT_OF_ORDER_SEQUENCE_NUMBER", "UNKNOWN_PRODUCER_ID", "INVALID_PRODUCER_EPOCH", "INVALID_PRODUCER_ID_MAPPING"]);

/** True if the error (or one it wraps: kafkajs' retrier keeps the broker's error as `cause`) is one of PRODUCER_STATE_REJECTED. */
export function producerStateRejected(e: unknown): boolean {
  for (let x = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    const type = (x as { type?: unknown }).type;
    if (typeof type === "string" && PRODUCER_STATE_REJECTED.has(type)) return true;
  }
  return false;
}

export class KafkaEventBus implements EventBus, TopologyProvisioner, HealthReporter, SubscriptionHost {
  readonly kind = "kafka";
  private readonly kafka: Kafka;
  private producer: Producer;
  private producerReady: Promise<void> | undefined;
  private producerConnected = false;
  private admin: Admin | undefined;
  private readonly senders = new Map<string, TopicSender>();
  private readonly handles = new Set<KafkaSubscriber>();
  /** Current problems by source ("producer", "subscription <name>"). */
  private readonly problems: BusHealth;
  private closed = false;

  constructor(readonly settings: KafkaSettings) {
    this.problems = new BusHealth(BACKEND, settings.observer);
    const { Kafka: KafkaCtor, logLevel } = require("kafkajs") as typeof import("kafkajs");
    this.kafka = new KafkaCtor({
      clientId: settings.clientId,
      brokers: [...settings.brokers],
      ssl: settings.tls && settings.ca !== undefined ? { ca: [settings.ca] } : settings.tls,
      ...(settings.sasl ? { sasl: settings.sasl } : {}),
      // kafkajs' own warnings and errors (producer retries, consumer restarts) go to the observer
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => this.clientLog(entry),
      connectionTimeout: 5000,
      retry: { retries: 5, initialRetryTime: 100 },
    });
    this.producer = this.newProducer();
  }

  private newProducer(): Producer {
    // kafkajs: idempotent needs maxInFlightRequests 1 and retries > 0; acks default to -1 (all)
    return this.kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: this.settings.producerRetries, initialRetryTime: 300, maxRetryTime: 5000 },
    });
  }

  private clientLog({ namespace, log }: LogEntry): void {
    const { message, retryCount, groupId } = log as { message: string; retryCount?: number; groupId?: string };
    if (/Limiting retries for the idempotent producer/.test(message)) return; // we chose bounded retries on purpose
    const o = this.settings.observer;
    o.logger?.warn(`kafka client (${namespace}): ${message}`, { ...(retryCount !== undefined ? { retryCount } : {}), ...(groupId ? { groupId } : {}) });
    if (/Failed to send messages/.test(message)) {
      o.counter?.(KAFKA_METRICS.producerRetries, 1);
      this.problems.set("producer", `produce request failing, retrying (${oneLine(message)})`);
    }
  }

  /** Called by subscriptions (SubscriptionHost). */
  consumerState(subscription: string, problem: string | undefined): void {
    if (problem !== undefined) this.settings.observer.counter?.(KAFKA_METRICS.consumerProblems, 1, { subscription });
    this.problems.set(`subscription ${subscription}`, problem);
  }

  health(): Health {
    return this.problems.report();
  }

  private where(): string {
    return this.settings.brokers.join(",");
  }

  private connectProducer(): Promise<void> {
    const producer = this.producer;
    this.producerReady ??= producer.connect().then(
      () => void (this.producerConnected = this.producer === producer),
      (e) => {
        if (this.producer === producer) this.producerReady = undefined;
        throw backendUnreachable("event bus", "kafka", this.where(), e);
      },
    );
    return this.producerReady;
  }

  /** The current producer, connected (it connects first after a replacement). */
  private readonly connectedProducer = (): Producer | Promise<Producer> => (this.producerConnected ? this.producer : this.connectProducer().then(() => this.producer));

  /**
   * kafkajs' idempotent producer never recovers once the broker rejects its
   * sequence numbers or producer id (kafkajs issue 598: every later publish
   * fails with the same error; seen after a broker restart). A new producer
   * (new producer id, sequences from 0) takes over; the failed publishes were
   * rejected, so their callers retry them.
   */
  private replaceProducer(cause: unknown): void {
    const old = this.producer;
    this.producer = this.newProducer();
    this.producerReady = undefined;
    this.producerConnected = false;
    this.settings.observer.counter?.(KAFKA_METRICS.producerReplaced, 1);
    this.settings.observer.logger?.warn(`${BACKEND}: the broker rejected the producer's state (${oneLine(cause)}); a new idempotent producer takes over`);
    void old.disconnect().catch(() => undefined);
  }

  private async getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      try {
        await admin.connect();
      } catch (e) {
        throw backendUnreachable("event bus", "kafka", this.where(), e);
      }
      this.admin = admin;
    }
    return this.admin;
  }

  /** A round trip to the cluster; fails while the bus is degraded (see health()). */
  async ping(): Promise<void> {
    if (this.closed) throw adapterClosed(BACKEND);
    const admin = await this.getAdmin();
    try {
      await admin.describeCluster();
    } catch (e) {
      throw backendUnreachable("event bus", "kafka", this.where(), e);
    }
    const h = this.health();
    if (h.status !== "ok") throw busDegraded(BACKEND, h.problems);
  }

  /** Creates every stream's topic and dead-letter topic that does not exist yet. */
  async ensureTopology(): Promise<void> {
    const admin = await this.getAdmin();
    const wanted = new Set<string>();
    for (const s of Object.values(this.settings.streams)) {
      wanted.add(s.topic);
      wanted.add(s.deadLetterTopic);
    }
    const existing = new Set(await admin.listTopics());
    const missing = [...wanted].filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: this.settings.partitions, replicationFactor: this.settings.replicationFactor })),
    });
  }

  publish(stream: string, event: OutgoingEvent): Promise<void> {
    if (this.closed) return Promise.reject(adapterClosed(BACKEND));
    const s = this.settings.streams[stream];
    if (!s) return Promise.reject(unknownStream(BACKEND, stream, Object.keys(this.settings.streams)));
    return this.sendTo(s.topic, toKafkaMessage(event));
  }

  /** Internal: sends one message to a topic (also used for dead letters). Not async: it runs once per event. */
  sendTo(topic: string, message: Message): Promise<void> {
    let sender = this.senders.get(topic);
    if (!sender) this.senders.set(topic, (sender = new TopicSender(this.connectedProducer, topic, this.onSendResult)));
    return sender.send(message);
  }

  private readonly onSendResult = (error: unknown, producer: Producer | undefined): void => {
    if (error === undefined) {
      this.problems.set("producer", undefined);
      return;
    }
    this.settings.observer.counter?.(KAFKA_METRICS.publishFailures, 1);
    this.problems.set("producer", `publish failed (${oneLine(error)})`);
    if (producer === this.producer && producerStateRejected(error)) this.replaceProducer(error);
  };

  async subscribe(subscription: string, handler: DeliveryHandler): Promise<SubscriptionHandle> {
    if (this.closed) throw adapterClosed(BACKEND);
    const sub = this.settings.subscriptions[subscription];
    if (!sub) throw unknownSubscription(BACKEND, subscription, Object.keys(this.settings.subscriptions));
    const stream = this.settings.streams[sub.stream]!;
    const consumer = this.kafka.consumer({
      groupId: sub.subscription,
      sessionTimeout: this.settings.sessionTimeoutMs,
      heartbeatInterval: this.settings.heartbeatIntervalMs,
      rebalanceTimeout: this.settings.sessionTimeoutMs,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
    });
    const handle = new KafkaSubscriber(this, consumer, handler, {
      name: subscription,
      stream: sub.stream,
      topic: stream.topic,
      deadLetterTopic: stream.deadLetterTopic,
      maxDeliveryAttempts: sub.maxDeliveryAttempts,
    });
    await handle.start();
    this.handles.add(handle);
    handle.onClosed = () => this.handles.delete(handle);
    return handle;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.handles].map((h) => h.close()));
    await Promise.allSettled([this.producerReady ? this.producer.disconnect() : Promise.resolve(), this.admin?.disconnect()]);
  }
}

export function createKafkaEventBus(manifest: Extract<EventBusManifest, { kind: "kafka" }>, options: KafkaOptions = {}): KafkaEventBus {
  return new KafkaEventBus(kafkaSettings(manifest, options));
}
