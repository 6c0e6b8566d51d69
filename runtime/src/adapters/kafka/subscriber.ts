/**
 * One Kafka subscriber (one subscribe() call; its consumer group is the manifest subscription). Messages of a partition are handled
 * one at a time; an ack resolves the offset (committed after each batch, every
 * 100 messages and every second); a nack retries the same message locally
 * (attempt+1, order kept) and after maxDeliveryAttempts publishes it to the
 * stream's dead-letter topic and moves on. The ack deadline is a lease the
 * watchdog extends while the handler runs (heartbeats keep the group
 * membership), up to maxAckExtensionMs. close() drains for at most
 * drainTimeoutMs; a delivery still running then is nacked and stays
 * uncommitted for the next consumer.
 */
import type { Batch, Consumer, KafkaMessage, Message } from "kafkajs";
import { backendUnreachable, oneLine, topicMissing } from "../../errors";
import { drainWithin, SettleOnceDelivery, type Outcome } from "../../eventbus/delivery";
import type { DeliveryHandler, EventMessage } from "../../ports";
import type { KafkaSettings } from "./settings";
import { fromKafkaMessage, toKafkaMessage } from "./wire";

export const BACKEND = "kafka event bus";
/** Headers added to a dead-lettered message. */
export const DEAD_LETTER_HEADERS = { sourceTopic: "hp_dead_letter_source_topic", attempts: "hp_dead_letter_delivery_attempts", subscription: "hp_dead_letter_subscription" } as const;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface SubscriptionSpec {
  readonly name: string;
  readonly stream: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly maxDeliveryAttempts: number;
}

/** What a subscription needs from its bus. */
export interface SubscriptionHost {
  readonly settings: KafkaSettings;
  sendTo(topic: string, message: Message): Promise<void>;
  /** Reports consumer trouble (crash, disconnect) and recovery: health, logs and metrics. */
  consumerState(subscription: string, problem: string | undefined): void;
}

export class KafkaSubscriber {
  private stopping = false;
  private closing: Promise<void> | undefined;
  /** Deliveries being handled (one per partition at a time), watched for their lease. */
  private readonly inFlight = new Set<SettleOnceDelivery>();
  private readonly batches = new Set<Promise<void>>();
  onClosed: (() => void) | undefined;
  /** Settling only stops watching the delivery: one function per subscription, not per message. */
  private readonly applyOutcome = (o: Outcome, d: SettleOnceDelivery): Outcome => {
    this.inFlight.delete(d);
    return o;
  };

  constructor(
    private readonly host: SubscriptionHost,
    private readonly consumer: Consumer,
    private readonly handler: DeliveryHandler,
    private readonly spec: SubscriptionSpec,
  ) {}

  async start(): Promise<void> {
    const s = this.host.settings;
    const c = this.consumer;
    c.on(c.events.CRASH, (e) => this.host.consumerState(this.spec.name, `consumer crashed (${oneLine(e.payload.error)}); restart: ${e.payload.restart}`));
    c.on(c.events.DISCONNECT, () => {
      if (!this.stopping) this.host.consumerState(this.spec.name, "consumer disconnected");
    });
    c.on(c.events.STOP, () => {
      if (!this.stopping) this.host.consumerState(this.spec.name, "consumer stopped");
    });
    c.on(c.events.GROUP_JOIN, () => this.host.consumerState(this.spec.name, undefined));
    c.on(c.events.FETCH, () => this.host.consumerState(this.spec.name, undefined));
    let timer: NodeJS.Timeout | undefined;
    let off: (() => void) | undefined;
    const joined = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no consumer group join within ${s.joinTimeoutMs} ms`)), s.joinTimeoutMs);
      off = c.on(c.events.GROUP_JOIN, () => resolve());
    });
    joined.catch(() => undefined); // observed below; never an unhandled rejection
    try {
      await c.connect();
      await c.subscribe({ topics: [this.spec.topic], fromBeginning: true });
      await c.run({
        eachBatchAutoResolve: false,
        // resolved offsets are committed after each batch, and every second inside a long one
        autoCommitInterval: 1000,
        partitionsConsumedConcurrently: s.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.track(this.eachBatch(payload)),
      });
      await joined;
    } catch (e) {
      await c.disconnect().catch(() => undefined);
      if (/does not host this topic|UNKNOWN_TOPIC/i.test(oneLine(e))) throw topicMissing(BACKEND, this.spec.topic, this.spec.name);
      throw backendUnreachable("event bus", "kafka", `${s.brokers.join(",")} (subscription ${this.spec.name}, topic ${this.spec.topic})`, oneLine(e));
    } finally {
      clearTimeout(timer);
      off?.();
    }
  }

  private track(p: Promise<void>): Promise<void> {
    this.batches.add(p);
    return p.finally(() => this.batches.delete(p));
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
    // while slow handlers run (heartbeat() is throttled by kafkajs), i.e. the
    // lease is extended, and expires a delivery past the maximum extension.
    const s = this.host.settings;
    const tick = Math.min(s.heartbeatIntervalMs, 1000);
    const watchdog = setInterval(() => {
      void p.heartbeat().catch(() => undefined);
      const now = Date.now();
      for (const d of this.inFlight) if (d.leaseExpired(now, s.maxAckExtensionMs)) d.expire();
    }, tick);
    const at = { topic: p.batch.topic, partition: p.batch.partition };
    try {
      let sinceCommit = 0;
      for (const m of p.batch.messages) {
        if (this.stopping || !p.isRunning() || p.isStale()) return;
        const done = await this.process(m, at);
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
  private async process(m: KafkaMessage, at: { topic: string; partition: number }): Promise<boolean> {
    let message: EventMessage;
    try {
      message = fromKafkaMessage(this.spec.stream, m, at);
    } catch {
      // not our format (e.g. not JSON): straight to the dead-letter topic
      await this.host.sendTo(this.spec.deadLetterTopic, { key: m.key, value: m.value, headers: { ...(m.headers ?? {}), ...this.deadLetterHeaders(0) } });
      return true;
    }
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.deliverOnce(message, attempt);
      if (outcome === "ack") return true;
      if (attempt >= this.spec.maxDeliveryAttempts) {
        const dead = toKafkaMessage(message);
        await this.host.sendTo(this.spec.deadLetterTopic, { ...dead, headers: { ...dead.headers, ...this.deadLetterHeaders(attempt) } });
        return true;
      }
      if (this.stopping) return false;
      await sleep(this.host.settings.redeliveryDelayMs);
      if (this.stopping) return false;
    }
  }

  private deadLetterHeaders(attempts: number): Record<string, string> {
    return { [DEAD_LETTER_HEADERS.sourceTopic]: this.spec.topic, [DEAD_LETTER_HEADERS.attempts]: String(attempts), [DEAD_LETTER_HEADERS.subscription]: this.spec.name };
  }

  /** Resolves when the delivery is settled (also by the watchdog or a bounded close, while the handler may still run). */
  private deliverOnce(message: EventMessage, attempt: number): Promise<Outcome> {
    const d = new SettleOnceDelivery<Outcome>(message, attempt, BACKEND, this.applyOutcome);
    this.inFlight.add(d);
    void d.run(this.handler);
    return d.result;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopping = true;
      // bounded drain: deliveries still running after drainTimeoutMs are nacked (left uncommitted)
      const drained = await drainWithin(() => [...this.batches], this.host.settings.drainTimeoutMs);
      if (!drained) for (const d of this.inFlight) d.expire();
      await this.consumer.disconnect().catch(() => undefined);
      this.host.consumerState(this.spec.name, undefined);
      this.onClosed?.();
    })();
    return this.closing;
  }
}
