/**
 * EventBus on Google Cloud Pub/Sub (and its emulator).
 *
 * Wire format: the CloudEvents Pub/Sub binding (./wire). Consumption,
 * ordering per key, lease and bounded drain: ./subscriber. A handler that
 * returns without settling acks, one that throws nacks.
 *
 * Dead-lettering: see `DeadLetterMode` in ./settings.ts. Against the emulator
 * the adapter counts attempts and republishes to the dead-letter topic itself,
 * because the emulator does not dead-letter messages of ordered subscriptions
 * (it stops redelivering and breaks the streaming pull instead).
 */
import { Duration, PubSub, v1, type Subscription, type Topic } from "@google-cloud/pubsub";
import { adapterClosed, backendUnreachable, busDegraded, subscriptionMissing, unknownStream, unknownSubscription } from "../../errors";
import { BusHealth } from "../../eventbus/health";
import type { DeadLetterReader, DeliveryHandler, EventBus, EventMessage, Health, HealthReporter, OutgoingEvent, SubscriptionHandle, TopologyProvisioner } from "../../ports";
import { deadLetterReaderSubscription, pubSubSettings, type PubSubEventBusOptions, type PubSubManifest, type PubSubSettings } from "./settings";
import { ADMIN_CALL, brief, GRPC, grpcCode } from "./grpc";
import { BACKEND, PubSubSubscriber, RECOVERY, type SubscriberHost } from "./subscriber";
import { decode, encode, type PubSubWireMessage } from "./wire";

export { deadLetterReaderSubscription, pubSubSettings } from "./settings";
export type { DeadLetterMode, PubSubEventBusOptions, PubSubManifest, PubSubSettings } from "./settings";

/** How long closing a client stream waits for its acks and nacks to be sent. */
const CLOSE_FLUSH_MS = 5_000;

export type PubSubEventBus = EventBus & DeadLetterReader & TopologyProvisioner & HealthReporter;

/** Connects to Pub/Sub (or the emulator at `emulatorHost`) for the manifest's streams and subscriptions. */
export function createPubSubEventBus(manifest: PubSubManifest, options: PubSubEventBusOptions = {}): PubSubEventBus {
  return new PubSubBus(pubSubSettings(manifest, options));
}

class PubSubBus implements EventBus, DeadLetterReader, TopologyProvisioner, HealthReporter, SubscriberHost {
  readonly kind = "pubsub";
  readonly client: PubSub;
  private readonly publishers = new Map<string, Topic>();
  private readonly subscribers = new Set<PubSubSubscriber>();
  /** Handler invocations per subscription and message id (adapter-counted attempts). */
  private readonly attempts = new Map<string, Map<string, number>>();
  /** Deliveries returned unprocessed per subscription and message id (server-counted attempts are corrected by these). */
  private readonly bounces = new Map<string, Map<string, number>>();
  private reader: InstanceType<typeof v1.SubscriberClient> | undefined;
  private closing: Promise<void> | undefined;
  /** Current problems by source ("publisher", "subscription <name>"). */
  private readonly problems: BusHealth;

  constructor(readonly settings: PubSubSettings) {
    this.problems = new BusHealth(BACKEND, settings.observer);
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
    const h = this.health();
    if (h.status !== "ok") throw busDegraded(BACKEND, h.problems);
  }

  /** Degraded while a publish fails or a subscriber recovers its stream (see ./subscriber). */
  health(): Health {
    return this.problems.report();
  }

  /** Called by subscribers (SubscriberHost). */
  streamState(subscription: string, problem: string | undefined): void {
    this.problems.set(`subscription ${subscription}`, problem);
  }

  async publish(streamName: string, event: OutgoingEvent): Promise<void> {
    this.assertOpen();
    const stream = this.stream(streamName);
    await this.send(stream.topic, encode(event));
  }

  /** Publishes one message; fails after publishTimeoutMs rather than waiting on a publisher that is stuck. */
  async send(topic: string, message: PubSubWireMessage): Promise<void> {
    const publisher = this.publisher(topic);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        publisher.publishMessage(message),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`publish to ${topic} did not complete within ${this.settings.publishTimeoutMs} ms`)), this.settings.publishTimeoutMs))),
      ]);
      this.problems.set("publisher", undefined);
    } catch (e) {
      this.problems.set("publisher", `publish to ${topic} failed (${brief(e)})`);
      // A failed publish pauses its ordering key; let the caller's retry through, on a fresh publisher.
      if (message.orderingKey) publisher.resumePublishing(message.orderingKey);
      if (this.publishers.get(topic) === publisher) this.publishers.delete(topic);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  async subscribe(name: string, handler: DeliveryHandler): Promise<SubscriptionHandle> {
    this.assertOpen();
    const config = this.settings.subscriptions[name];
    if (!config) throw unknownSubscription(BACKEND, name, Object.keys(this.settings.subscriptions));
    const stream = this.stream(config.stream);
    const subscription = this.clientSubscription(name);
    try {
      await subscription.getMetadata(ADMIN_CALL);
    } catch (e) {
      if (grpcCode(e) === GRPC.NOT_FOUND) throw subscriptionMissing(BACKEND, config.subscription, this.settings.projectId);
      throw backendUnreachable("EventBus", BACKEND, this.where(), brief(e));
    }
    const spec = {
      name,
      stream: config.stream,
      deadLetterTopic: stream.deadLetterTopic,
      maxDeliveryAttempts: config.maxDeliveryAttempts,
      ackDeadlineMs: config.ackDeadlineSeconds * 1000,
      attempts: mapOf(this.attempts, name),
      bounces: mapOf(this.bounces, name),
    };
    const subscriber = new PubSubSubscriber(this, handler, spec, subscription.name);
    this.subscribers.add(subscriber);
    subscriber.start();
    return {
      close: async () => {
        await subscriber.close();
        this.subscribers.delete(subscriber);
      },
    };
  }

  /** A new client object for a manifest subscription; it streams once a 'message' listener is added. */
  clientSubscription(name: string): Subscription {
    return this.client.subscription(this.settings.subscriptions[name]!.subscription, {
      flowControl: { maxMessages: this.settings.maxOutstandingMessages, allowExcessMessages: false },
      // lease management: the client extends the ack deadline while a handler runs, up to this
      maxExtensionTime: Duration.from({ millis: this.settings.maxAckExtensionMs }),
      // a close (also of a broken stream) waits at most this for its nacks to be sent
      closeOptions: { timeout: Duration.from({ millis: CLOSE_FLUSH_MS }) },
      // the client's own retry of an ended stream waits at most this (its default is a minute)
      streamingOptions: { retryMaxBackoff: Duration.from({ millis: RECOVERY.clientRetryMaxMs }) },
    });
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
      await Promise.allSettled([...this.subscribers].map((c) => c.close()));
      this.subscribers.clear();
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
