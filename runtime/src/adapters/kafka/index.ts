/**
 * EventBus on Kafka (kafkajs).
 *
 * Publish: ordering key = message key (same key, same partition, in order);
 * id and type travel as CloudEvents binary-mode headers (ce_id, ce_type),
 * attributes as the other headers, data as the JSON value. Publishes to one
 * topic are sent one request at a time, each carrying every publish queued
 * meanwhile or in the same turn of the event loop (order kept, throughput
 * under concurrency).
 *
 * Subscribe: one consumer group per manifest subscription. Messages of a
 * partition are handled one at a time; an ack resolves the offset (committed
 * at the end of the batch or on close); a nack retries the same message
 * locally (attempt+1, order kept) and after maxDeliveryAttempts publishes it
 * to the stream's deadLetterTopic and moves on. close() drains: the
 * in-flight handler finishes, an unsettled message stays uncommitted.
 */
import type { Admin, Batch, Consumer, IHeaders, Kafka, KafkaMessage, Message, Producer } from "kafkajs";
import { adapterClosed, alreadySettled, backendUnreachable, oneLine, topicMissing, unknownStream, unknownSubscription } from "../../errors";
import type { EventBusManifest } from "../../manifest/schema";
import type { Delivery, DeliveryHandler, EventBus, EventMessage, OutgoingEvent, SubscriptionHandle, TopologyProvisioner } from "../../ports";
import { kafkaSettings, type KafkaOptions, type KafkaSettings } from "./settings";

export * from "./settings";

const BACKEND = "kafka event bus";
const H_ID = "ce_id";
const H_TYPE = "ce_type";
const H_CONTENT_TYPE = "content-type";
const RESERVED = new Set([H_ID, H_TYPE, H_CONTENT_TYPE]);
/** Headers added to a dead-lettered message. */
export const DEAD_LETTER_HEADERS = { sourceTopic: "hp_dead_letter_source_topic", attempts: "hp_dead_letter_delivery_attempts", subscription: "hp_dead_letter_subscription" } as const;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function toKafkaMessage(event: OutgoingEvent): Message {
  const headers: IHeaders = { ...(event.attributes ?? {}), [H_ID]: event.id, [H_TYPE]: event.type, [H_CONTENT_TYPE]: "application/json" };
  return { key: event.orderingKey ?? null, value: JSON.stringify(event.data), headers };
}

function headerString(v: IHeaders[string]): string | undefined {
  if (v === undefined) return undefined;
  const one = Array.isArray(v) ? v[v.length - 1] : v;
  return one === undefined ? undefined : Buffer.isBuffer(one) ? one.toString("utf8") : String(one);
}

export function fromKafkaMessage(stream: string, m: KafkaMessage): EventMessage {
  const attributes: Record<string, string> = {};
  const headers = m.headers ?? {};
  for (const k in headers) {
    if (RESERVED.has(k)) continue;
    const s = headerString(headers[k]);
    if (s !== undefined) attributes[k] = s;
  }
  const key = m.key === null ? undefined : m.key.toString("utf8");
  return {
    stream,
    id: headerString(headers[H_ID]) ?? `kafka-offset-${m.offset}`,
    type: headerString(headers[H_TYPE]) ?? "unknown",
    data: m.value === null ? null : JSON.parse(m.value.toString("utf8")),
    ...(key !== undefined ? { orderingKey: key } : {}),
    attributes,
  };
}

/** One request in flight per topic; publishes queued meanwhile go out together. */
class TopicSender {
  private queue: { message: Message; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private sending = false;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  send(message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (!this.sending) {
        this.sending = true;
        // wait one turn of the event loop so publishes made together go out together
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.producer.send({ topic: this.topic, messages: batch.map((b) => b.message) });
        for (const b of batch) b.resolve();
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
    this.sending = false;
  }
}

export class KafkaEventBus implements EventBus, TopologyProvisioner {
  readonly kind = "kafka";
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private producerReady: Promise<void> | undefined;
  private producerConnected = false;
  private admin: Admin | undefined;
  private readonly senders = new Map<string, TopicSender>();
  private readonly handles = new Set<KafkaSubscription>();
  private closed = false;

  constructor(readonly settings: KafkaSettings) {
    const { Kafka: KafkaCtor, logLevel } = require("kafkajs") as typeof import("kafkajs");
    this.kafka = new KafkaCtor({
      clientId: settings.clientId,
      brokers: [...settings.brokers],
      ssl: settings.tls,
      ...(settings.sasl ? { sasl: settings.sasl } : {}),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 5000,
      retry: { retries: 5, initialRetryTime: 100 },
    });
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
  }

  private where(): string {
    return this.settings.brokers.join(",");
  }

  private connectProducer(): Promise<void> {
    this.producerReady ??= this.producer.connect().then(
      () => void (this.producerConnected = true),
      (e) => {
        this.producerReady = undefined;
        throw backendUnreachable("event bus", "kafka", this.where(), e);
      },
    );
    return this.producerReady;
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

  async ping(): Promise<void> {
    if (this.closed) throw adapterClosed(BACKEND);
    const admin = await this.getAdmin();
    try {
      await admin.describeCluster();
    } catch (e) {
      throw backendUnreachable("event bus", "kafka", this.where(), e);
    }
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
    if (!sender) this.senders.set(topic, (sender = new TopicSender(this.producer, topic)));
    const target = sender;
    return this.producerConnected ? target.send(message) : this.connectProducer().then(() => target.send(message));
  }

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
    const handle = new KafkaSubscription(this, consumer, handler, {
      name: subscription,
      stream: sub.stream,
      topic: stream.topic,
      deadLetterTopic: stream.deadLetterTopic,
      maxDeliveryAttempts: sub.maxDeliveryAttempts,
      ackDeadlineMs: sub.ackDeadlineSeconds * 1000,
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

interface SubscriptionSpec {
  readonly name: string;
  readonly stream: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly maxDeliveryAttempts: number;
  readonly ackDeadlineMs: number;
}

type Outcome = "ack" | "nack";

/**
 * One delivery; settled once by ack/nack, by the handler returning (ack) or
 * throwing (nack), or by the ack-deadline watchdog (nack). A class, not
 * closures: this runs once per message.
 */
class KafkaDelivery implements Delivery {
  readonly startedAt = Date.now();
  readonly outcome: Promise<Outcome>;
  private resolve!: (o: Outcome) => void;
  private settled = false;

  constructor(
    readonly message: EventMessage,
    readonly attempt: number,
    private readonly watched: Set<KafkaDelivery>,
  ) {
    this.outcome = new Promise<Outcome>((r) => (this.resolve = r));
  }

  private settle(o: Outcome): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.watched.delete(this);
    this.resolve(o);
    return true;
  }

  ack(): Promise<void> {
    return this.settle("ack") ? Promise.resolve() : Promise.reject(alreadySettled(BACKEND, this.message.id));
  }

  nack(): Promise<void> {
    return this.settle("nack") ? Promise.resolve() : Promise.reject(alreadySettled(BACKEND, this.message.id));
  }

  expire(): void {
    this.settle("nack");
  }

  /** Runs the handler: returning acks, throwing nacks (unless it settled already). */
  async run(handler: DeliveryHandler): Promise<void> {
    try {
      await handler(this);
      this.settle("ack");
    } catch {
      this.settle("nack");
    }
  }
}

class KafkaSubscription implements SubscriptionHandle {
  private stopping = false;
  private closing: Promise<void> | undefined;
  /** Deliveries being handled (one per partition at a time), watched for their ack deadline. */
  private readonly inFlight = new Set<KafkaDelivery>();
  onClosed: (() => void) | undefined;

  constructor(
    private readonly bus: KafkaEventBus,
    private readonly consumer: Consumer,
    private readonly handler: DeliveryHandler,
    private readonly spec: SubscriptionSpec,
  ) {}

  async start(): Promise<void> {
    const s = this.bus.settings;
    let timer: NodeJS.Timeout | undefined;
    let off: (() => void) | undefined;
    const joined = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no consumer group join within ${s.joinTimeoutMs} ms`)), s.joinTimeoutMs);
      off = this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve());
    });
    joined.catch(() => undefined); // observed below; never an unhandled rejection
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [this.spec.topic], fromBeginning: true });
      await this.consumer.run({
        eachBatchAutoResolve: false,
        // resolved offsets are committed after each batch, and every second inside a long one
        autoCommitInterval: 1000,
        partitionsConsumedConcurrently: s.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.eachBatch(payload),
      });
      await joined;
    } catch (e) {
      await this.consumer.disconnect().catch(() => undefined);
      if (/does not host this topic|UNKNOWN_TOPIC/i.test(oneLine(e))) throw topicMissing(BACKEND, this.spec.topic, this.spec.name);
      throw backendUnreachable("event bus", "kafka", `${s.brokers.join(",")} (subscription ${this.spec.name}, topic ${this.spec.topic})`, oneLine(e));
    } finally {
      clearTimeout(timer);
      off?.();
    }
  }

  private async eachBatch(p: {
    batch: Batch;
    resolveOffset(offset: string): void;
    heartbeat(): Promise<void>;
    commitOffsetsIfNecessary(): Promise<void>;
    isRunning(): boolean;
    isStale(): boolean;
  }): Promise<void> {
    // One timer per batch, not per message: keeps the group membership alive
    // while slow handlers run (heartbeat() is throttled by kafkajs) and turns a
    // delivery that outlived its ack deadline into a nack.
    const tick = Math.min(this.bus.settings.heartbeatIntervalMs, 1000);
    const watchdog = setInterval(() => {
      void p.heartbeat().catch(() => undefined);
      const now = Date.now();
      for (const d of this.inFlight) if (now - d.startedAt >= this.spec.ackDeadlineMs) d.expire();
    }, tick);
    try {
      let sinceCommit = 0;
      for (const m of p.batch.messages) {
        if (this.stopping || !p.isRunning() || p.isStale()) return;
        const done = await this.process(m);
        if (!done) return; // stopped mid-retry: leave it uncommitted for the next consumer
        p.resolveOffset(m.offset);
        if (++sinceCommit >= 100) {
          sinceCommit = 0;
          await p.commitOffsetsIfNecessary();
        }
      }
    } finally {
      clearInterval(watchdog);
    }
    // kafkajs commits the resolved offsets after the batch (autoCommit)
    await p.heartbeat().catch(() => undefined);
  }

  /** Delivers one message until acked or dead-lettered; false if the subscription stopped first. */
  private async process(m: KafkaMessage): Promise<boolean> {
    let message: EventMessage;
    try {
      message = fromKafkaMessage(this.spec.stream, m);
    } catch {
      // not our format (e.g. not JSON): straight to the dead-letter topic
      await this.bus.sendTo(this.spec.deadLetterTopic, { key: m.key, value: m.value, headers: { ...(m.headers ?? {}), ...this.deadLetterHeaders(0) } });
      return true;
    }
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.deliverOnce(message, attempt);
      if (outcome === "ack") return true;
      if (attempt >= this.spec.maxDeliveryAttempts) {
        const dead = toKafkaMessage(message);
        await this.bus.sendTo(this.spec.deadLetterTopic, { ...dead, headers: { ...dead.headers, ...this.deadLetterHeaders(attempt) } });
        return true;
      }
      if (this.stopping) return false;
      await sleep(this.bus.settings.redeliveryDelayMs);
      if (this.stopping) return false;
    }
  }

  private deadLetterHeaders(attempts: number): Record<string, string> {
    return { [DEAD_LETTER_HEADERS.sourceTopic]: this.spec.topic, [DEAD_LETTER_HEADERS.attempts]: String(attempts), [DEAD_LETTER_HEADERS.subscription]: this.spec.name };
  }

  private deliverOnce(message: EventMessage, attempt: number): Promise<Outcome> {
    const d = new KafkaDelivery(message, attempt, this.inFlight);
    this.inFlight.add(d);
    void d.run(this.handler);
    return d.outcome;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopping = true;
      await this.consumer.disconnect().catch(() => undefined);
      this.onClosed?.();
    })();
    return this.closing;
  }
}

export function createKafkaEventBus(manifest: Extract<EventBusManifest, { kind: "kafka" }>, options: KafkaOptions = {}): KafkaEventBus {
  return new KafkaEventBus(kafkaSettings(manifest, options));
}
