/**
 * EventBus on Google Cloud Pub/Sub (and its emulator).
 *
 * Wire format (CloudEvents Pub/Sub binding, binary mode): the message data is
 * the event's `data` as JSON; the event id and type travel as the attributes
 * `ce-id` and `ce-type` next to the event's own attributes; the ordering key is
 * Pub/Sub's ordering key (the publisher has message ordering enabled).
 *
 * Consumption: a handler that returns without settling acks, one that throws
 * nacks. Messages of one ordering key run one at a time, in order; after a nack
 * the following messages of that key are returned unprocessed until the nacked
 * one comes back, so a nack never lets a later event overtake it.
 *
 * Dead-lettering: see `DeadLetterMode` in ./settings.ts. Against the emulator
 * the adapter counts attempts and republishes to the dead-letter topic itself,
 * because the emulator does not dead-letter messages of ordered subscriptions
 * (it stops redelivering and breaks the streaming pull instead).
 */
import { PubSub, v1, type Message, type Subscription, type Topic } from "@google-cloud/pubsub";
import { adapterClosed, alreadySettled, backendUnreachable, subscriptionMissing, unknownStream, unknownSubscription } from "../../errors";
import type { DeadLetterReader, Delivery, DeliveryHandler, EventBus, EventMessage, JsonValue, OutgoingEvent, SubscriptionHandle, TopologyProvisioner } from "../../ports";
import { deadLetterReaderSubscription, pubSubSettings, type PubSubEventBusOptions, type PubSubManifest, type PubSubSettings } from "./settings";

export { deadLetterReaderSubscription, pubSubSettings } from "./settings";
export type { DeadLetterMode, PubSubEventBusOptions, PubSubManifest, PubSubSettings } from "./settings";

const BACKEND = "pubsub";
/** Attributes the adapter owns; they are not handed back as event attributes. */
const CE = { id: "ce-id", type: "ce-type", specversion: "ce-specversion", source: "ce-source", contentType: "content-type" } as const;
const OWN_ATTRIBUTES = new Set<string>(Object.values(CE));
/** gRPC status codes the adapter tells apart. */
const GRPC = { DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6 } as const;
/** Admin calls fail after this instead of retrying for minutes when the server is down. */
const ADMIN_CALL = { timeout: 10_000 } as const;

export type PubSubEventBus = EventBus & DeadLetterReader & TopologyProvisioner;

/** Connects to Pub/Sub (or the emulator at `emulatorHost`) for the manifest's streams and subscriptions. */
export function createPubSubEventBus(manifest: PubSubManifest, options: PubSubEventBusOptions = {}): PubSubEventBus {
  return new PubSubBus(pubSubSettings(manifest, options));
}

function grpcCode(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

function encode(event: OutgoingEvent): { data: Buffer; attributes: Record<string, string>; orderingKey?: string } {
  const attributes: Record<string, string> = {
    ...event.attributes,
    [CE.specversion]: "1.0",
    [CE.id]: event.id,
    [CE.type]: event.type,
    [CE.source]: "hexproperty",
    [CE.contentType]: "application/json",
  };
  return { data: Buffer.from(JSON.stringify(event.data)), attributes, ...(event.orderingKey ? { orderingKey: event.orderingKey } : {}) };
}

function decode(stream: string, raw: { id: string; data: Buffer | Uint8Array; attributes: Record<string, string>; orderingKey?: string | null }): EventMessage {
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.attributes)) if (!OWN_ATTRIBUTES.has(k)) attributes[k] = v;
  const text = Buffer.from(raw.data).toString("utf8");
  let data: JsonValue;
  try {
    data = JSON.parse(text) as JsonValue;
  } catch {
    data = text;
  }
  return {
    stream,
    id: raw.attributes[CE.id] ?? raw.id,
    type: raw.attributes[CE.type] ?? "unknown",
    data,
    attributes,
    ...(raw.orderingKey ? { orderingKey: raw.orderingKey } : {}),
  };
}

class PubSubBus implements EventBus, DeadLetterReader, TopologyProvisioner {
  readonly kind = "pubsub";
  readonly client: PubSub;
  private readonly publishers = new Map<string, Topic>();
  private readonly consumers = new Set<Consumer>();
  /** Handler invocations per subscription and message id (adapter-counted attempts). */
  private readonly attempts = new Map<string, Map<string, number>>();
  /** Deliveries returned unprocessed per subscription and message id (server-counted attempts are corrected by these). */
  private readonly bounces = new Map<string, Map<string, number>>();
  private reader: InstanceType<typeof v1.SubscriberClient> | undefined;
  private closing: Promise<void> | undefined;

  constructor(readonly settings: PubSubSettings) {
    this.client = new PubSub({
      projectId: settings.projectId,
      ...(settings.emulatorHost ? { apiEndpoint: settings.emulatorHost, emulatorMode: true } : {}),
    });
  }

  private where(): string {
    return this.settings.emulatorHost ?? `project ${this.settings.projectId}`;
  }

  private assertOpen(): void {
    if (this.closing) throw adapterClosed(BACKEND);
  }

  private stream(name: string) {
    const stream = this.settings.streams[name];
    if (!stream) throw unknownStream(BACKEND, name, Object.keys(this.settings.streams));
    return stream;
  }

  publisher(topic: string): Topic {
    let t = this.publishers.get(topic);
    if (!t) {
      t = this.client.topic(topic, { messageOrdering: true, batching: { maxMilliseconds: this.settings.publishBatchMs } });
      this.publishers.set(topic, t);
    }
    return t;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    const first = Object.values(this.settings.streams)[0];
    try {
      if (first) {
        await this.client
          .topic(first.topic)
          .getMetadata({ timeout: 5_000 })
          .catch((e: unknown) => {
            if (grpcCode(e) !== GRPC.NOT_FOUND) throw e;
          });
      } else {
        await this.client.getTopics({ pageSize: 1, autoPaginate: false, gaxOpts: { timeout: 5_000 } });
      }
    } catch (e) {
      throw backendUnreachable("EventBus", BACKEND, this.where(), brief(e));
    }
  }

  async publish(streamName: string, event: OutgoingEvent): Promise<void> {
    this.assertOpen();
    const stream = this.stream(streamName);
    await this.send(stream.topic, encode(event));
  }

  async send(topic: string, message: { data: Buffer; attributes: Record<string, string>; orderingKey?: string }): Promise<void> {
    const publisher = this.publisher(topic);
    try {
      await publisher.publishMessage(message);
    } catch (e) {
      // A failed publish pauses its ordering key; let the caller's retry through.
      if (message.orderingKey) publisher.resumePublishing(message.orderingKey);
      throw e;
    }
  }

  async subscribe(name: string, handler: DeliveryHandler): Promise<SubscriptionHandle> {
    this.assertOpen();
    const config = this.settings.subscriptions[name];
    if (!config) throw unknownSubscription(BACKEND, name, Object.keys(this.settings.subscriptions));
    const stream = this.stream(config.stream);
    const subscription = this.client.subscription(config.subscription, {
      flowControl: { maxMessages: this.settings.maxOutstandingMessages, allowExcessMessages: false },
    });
    try {
      await subscription.getMetadata(ADMIN_CALL);
    } catch (e) {
      if (grpcCode(e) === GRPC.NOT_FOUND) throw subscriptionMissing(BACKEND, config.subscription, this.settings.projectId);
      throw backendUnreachable("EventBus", BACKEND, this.where(), brief(e));
    }
    const consumer = new Consumer(this, subscription, handler, {
      name,
      stream: config.stream,
      deadLetterTopic: stream.deadLetterTopic,
      maxDeliveryAttempts: config.maxDeliveryAttempts,
      ackDeadlineMs: config.ackDeadlineSeconds * 1000,
      attempts: mapOf(this.attempts, name),
      bounces: mapOf(this.bounces, name),
    });
    this.consumers.add(consumer);
    consumer.start();
    return { close: async () => {
      await consumer.close();
      this.consumers.delete(consumer);
    } };
  }

  async ensureTopology(): Promise<void> {
    this.assertOpen();
    const { streams, subscriptions, retryBackoff, deadLettering } = this.settings;
    const topics = new Set<string>();
    for (const s of Object.values(streams)) topics.add(s.topic).add(s.deadLetterTopic);
    const ignoreExists = (e: unknown) => {
      if (grpcCode(e) !== GRPC.ALREADY_EXISTS) throw e;
    };
    try {
      await Promise.all([...topics].map((t) => this.client.createTopic(t, ADMIN_CALL).catch(ignoreExists)));
      const deadLetterTopics = new Set(Object.values(streams).map((s) => s.deadLetterTopic));
      await Promise.all([
        ...[...deadLetterTopics].map((t) =>
          this.client.createSubscription(t, deadLetterReaderSubscription(t), { ackDeadlineSeconds: 60, gaxOpts: ADMIN_CALL }).catch(ignoreExists),
        ),
        ...Object.values(subscriptions).map((sub) => {
          const stream = streams[sub.stream]!;
          return this.client
            .createSubscription(stream.topic, sub.subscription, {
              gaxOpts: ADMIN_CALL,
              enableMessageOrdering: true,
              ackDeadlineSeconds: sub.ackDeadlineSeconds,
              retryPolicy: { minimumBackoff: { seconds: retryBackoff.minimumSeconds }, maximumBackoff: { seconds: retryBackoff.maximumSeconds } },
              ...(deadLettering === "server"
                ? { deadLetterPolicy: { deadLetterTopic: this.client.topic(stream.deadLetterTopic).name, maxDeliveryAttempts: sub.maxDeliveryAttempts } }
                : {}),
            })
            .catch(ignoreExists);
        }),
      ]);
    } catch (e) {
      throw backendUnreachable("EventBus", BACKEND, this.where(), brief(e));
    }
  }

  async takeDeadLetters(streamName: string, max: number, timeoutMs: number): Promise<EventMessage[]> {
    this.assertOpen();
    const stream = this.stream(streamName);
    this.reader ??= new v1.SubscriberClient({ ...this.client.options } as ConstructorParameters<typeof v1.SubscriberClient>[0]);
    const subscription = this.client.subscription(deadLetterReaderSubscription(stream.deadLetterTopic)).name;
    const out: EventMessage[] = [];
    const deadline = Date.now() + timeoutMs;
    while (out.length < max) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      let received: { ackId?: string | null; message?: { messageId?: string | null; data?: Uint8Array | string | null; attributes?: Record<string, string> | null; orderingKey?: string | null } | null }[];
      try {
        const [response] = await this.reader.pull({ subscription, maxMessages: max - out.length }, { timeout: Math.max(left, 50), retry: null as never });
        received = response.receivedMessages ?? [];
      } catch (e) {
        if (grpcCode(e) === GRPC.DEADLINE_EXCEEDED) break;
        if (grpcCode(e) === GRPC.NOT_FOUND) throw subscriptionMissing(BACKEND, deadLetterReaderSubscription(stream.deadLetterTopic), this.settings.projectId);
        throw backendUnreachable("EventBus", BACKEND, this.where(), brief(e));
      }
      if (received.length === 0) continue;
      for (const r of received) {
        const m = r.message ?? {};
        const data = typeof m.data === "string" ? Buffer.from(m.data, "base64") : Buffer.from(m.data ?? new Uint8Array());
        out.push(decode(streamName, { id: m.messageId ?? "", data, attributes: m.attributes ?? {}, orderingKey: m.orderingKey ?? null }));
      }
      await this.reader.acknowledge({ subscription, ackIds: received.map((r) => r.ackId!).filter(Boolean) });
    }
    return out;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.consumers].map((c) => c.close()));
      this.consumers.clear();
      await Promise.allSettled([...this.publishers.values()].map((t) => t.flush()));
      if (this.reader) await this.reader.close().catch(() => undefined);
      await this.client.close().catch(() => undefined);
    })();
    return this.closing;
  }
}

function mapOf<K, V>(outer: Map<string, Map<K, V>>, key: string): Map<K, V> {
  let inner = outer.get(key);
  if (!inner) {
    inner = new Map();
    outer.set(key, inner);
  }
  return inner;
}

interface ConsumerConfig {
  readonly name: string;
  readonly stream: string;
  readonly deadLetterTopic: string;
  readonly maxDeliveryAttempts: number;
  readonly ackDeadlineMs: number;
  readonly attempts: Map<string, number>;
  readonly bounces: Map<string, number>;
}

type Outcome = "acked" | "nacked" | "dead-lettered";

/** One running subscription: ordering per key, attempt counting, dead-lettering and drain. */
class Consumer {
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Tail of the processing chain per ordering key. */
  private readonly tails = new Map<string, Promise<void>>();
  /** Ordering keys waiting for returned messages to come back, in order, and since when they last made progress. */
  private readonly blocked = new Map<string, { expected: string[]; since: number }>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly bus: PubSubBus,
    private readonly subscription: Subscription,
    private readonly handler: DeliveryHandler,
    private readonly config: ConsumerConfig,
  ) {}

  start(): void {
    this.subscription.on("message", (m: Message) => this.receive(m));
    this.subscription.on("error", (e: Error) => {
      if (!this.closing) this.bus.settings.onError(e);
    });
  }

  private track<T>(p: Promise<T>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
  }

  private receive(m: Message): void {
    // While draining, new deliveries are held unsettled; close() hands them back.
    if (this.closing) return;
    const key = m.orderingKey;
    if (!key) {
      this.track(this.process(m));
      return;
    }
    const next = (this.tails.get(key) ?? Promise.resolve()).then(() => this.processOrdered(key, m));
    this.tails.set(key, next);
    this.track(next);
    void next.finally(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
  }

  /**
   * Runs one message of an ordering key after the previous one finished. After a
   * nack, the key waits for the nacked message to come back and then for every
   * message returned meanwhile, in the order they first arrived; anything else is
   * returned unprocessed. (The emulator can hand out a fresh message before
   * redelivering a returned one, so waiting for the nacked message alone is not
   * enough.) If the awaited message does not come back within the ack deadline,
   * the key stops waiting.
   */
  private async processOrdered(key: string, m: Message): Promise<void> {
    if (this.closing) return;
    const wait = this.blocked.get(key);
    if (wait) {
      if (Date.now() - wait.since > this.config.ackDeadlineMs) {
        this.blocked.delete(key);
      } else if (wait.expected[0] === m.id) {
        wait.expected.shift();
        wait.since = Date.now();
        if (wait.expected.length === 0) this.blocked.delete(key);
      } else {
        if (!wait.expected.includes(m.id)) wait.expected.push(m.id);
        this.bounce(m);
        return;
      }
    }
    const outcome = await this.process(m);
    if (outcome === "nacked") {
      const current = this.blocked.get(key);
      if (current) {
        current.expected.unshift(m.id);
        current.since = Date.now();
      } else {
        this.blocked.set(key, { expected: [m.id], since: Date.now() });
      }
    }
  }

  /** Returns a delivery without running the handler; it does not count as an attempt. */
  private bounce(m: Message): void {
    this.config.bounces.set(m.id, (this.config.bounces.get(m.id) ?? 0) + 1);
    m.nack();
  }

  private attemptOf(m: Message): number {
    if (this.bus.settings.deadLettering === "server" && m.deliveryAttempt > 0) {
      return Math.max(1, m.deliveryAttempt - (this.config.bounces.get(m.id) ?? 0));
    }
    const n = (this.config.attempts.get(m.id) ?? 0) + 1;
    this.config.attempts.set(m.id, n);
    return n;
  }

  private forget(m: Message): void {
    this.config.attempts.delete(m.id);
    this.config.bounces.delete(m.id);
  }

  private async process(m: Message): Promise<Outcome> {
    const attempt = this.attemptOf(m);
    const message = decode(this.config.stream, { id: m.id, data: m.data, attributes: m.attributes ?? {}, orderingKey: m.orderingKey ?? null });
    let outcome: Outcome | undefined;
    const settle = async (how: "ack" | "nack"): Promise<Outcome> => {
      if (how === "ack") {
        m.ack();
        this.forget(m);
        return "acked";
      }
      const final = attempt >= this.config.maxDeliveryAttempts;
      if (final && this.bus.settings.deadLettering === "adapter") {
        try {
          await this.bus.send(this.config.deadLetterTopic, {
            data: m.data,
            attributes: {
              ...m.attributes,
              CloudPubSubDeadLetterSourceSubscription: this.subscription.name.split("/").pop() ?? this.subscription.name,
              CloudPubSubDeadLetterSourceDeliveryCount: String(attempt),
            },
            ...(m.orderingKey ? { orderingKey: m.orderingKey } : {}),
          });
        } catch (e) {
          this.bus.settings.onError(e instanceof Error ? e : new Error(String(e)));
          m.nack();
          return "nacked";
        }
        m.ack();
        this.forget(m);
        return "dead-lettered";
      }
      m.nack();
      if (final) this.forget(m);
      // At the last attempt the server dead-letters it: nothing of its key has to wait for it.
      return final ? "dead-lettered" : "nacked";
    };
    const delivery: Delivery = {
      message,
      attempt,
      ack: async () => {
        if (outcome) throw alreadySettled(BACKEND, message.id);
        outcome = "acked";
        outcome = await settle("ack");
      },
      nack: async () => {
        if (outcome) throw alreadySettled(BACKEND, message.id);
        outcome = "nacked";
        outcome = await settle("nack");
      },
    };
    try {
      await this.handler(delivery);
      if (!outcome) {
        outcome = "acked";
        outcome = await settle("ack");
      }
    } catch {
      if (!outcome) {
        outcome = "nacked";
        outcome = await settle("nack");
      }
    }
    return outcome;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      // Deliveries that arrived while draining were held unsettled; closing nacks them.
      // The error listener stays: a stream ending after close must not become an unhandled 'error'.
      await this.subscription.close().catch(() => undefined);
    })();
    return this.closing;
  }
}

/** The first line of a client error, without the client's list of every retried attempt. */
function brief(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split(" : Previous errors")[0]!.replace(/\s+/g, " ").trim();
}
