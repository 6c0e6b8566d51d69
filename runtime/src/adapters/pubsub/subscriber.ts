/**
 * One running Pub/Sub subscriber (one subscribe() call): ordering per key,
 * attempt counting, dead-lettering, lease and bounded drain.
 *
 * Messages of one ordering key run one at a time, in order; after a nack the
 * following messages of that key are returned unprocessed until the nacked
 * one comes back, so a nack never lets a later event overtake it.
 *
 * Lease: the client library extends the ack deadline while the handler runs,
 * up to maxAckExtensionMs (its maxExtensionTime); a delivery still unsettled
 * then is nacked by the watchdog. A dead-letter publish that fails leaves the
 * message unacked (nacked): it comes back and is dead-lettered later.
 */
import type { Message, Subscription } from "@google-cloud/pubsub";
import { drainWithin, SettleOnceDelivery, type Outcome } from "../../eventbus/delivery";
import type { DeliveryHandler } from "../../ports";
import type { PubSubSettings } from "./settings";
import { decode, type PubSubWireMessage } from "./wire";

export const BACKEND = "pubsub";

export interface SubscriberConfig {
  readonly name: string;
  readonly stream: string;
  readonly deadLetterTopic: string;
  readonly maxDeliveryAttempts: number;
  readonly ackDeadlineMs: number;
  /** Handler invocations per message id (adapter-counted attempts), shared by the subscribers of one subscription. */
  readonly attempts: Map<string, number>;
  /** Deliveries returned unprocessed per message id (server-counted attempts are corrected by these). */
  readonly bounces: Map<string, number>;
}

/** What a subscriber needs from its bus. */
export interface SubscriberHost {
  readonly settings: PubSubSettings;
  /** Publishes to a topic; rejects on failure (also after a bounded wait). */
  send(topic: string, message: PubSubWireMessage): Promise<void>;
}

type Result = "acked" | "nacked" | "dead-lettered";

export class PubSubSubscriber {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly deliveries = new Set<SettleOnceDelivery<Result>>();
  /** Tail of the processing chain per ordering key. */
  private readonly tails = new Map<string, Promise<void>>();
  /** Ordering keys waiting for returned messages to come back, in order, and since when they last made progress. */
  private readonly blocked = new Map<string, { expected: string[]; since: number }>();
  private closing: Promise<void> | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: SubscriberHost,
    private readonly subscription: Subscription,
    private readonly handler: DeliveryHandler,
    private readonly config: SubscriberConfig,
  ) {}

  start(): void {
    this.subscription.on("message", (m: Message) => this.receive(m));
    this.subscription.on("error", (e: Error) => {
      if (this.closing) return;
      this.host.settings.onError(e);
      this.reopenLater();
    });
    const max = this.host.settings.maxAckExtensionMs;
    this.watchdog = setInterval(() => {
      const now = Date.now();
      for (const d of this.deliveries) if (d.leaseExpired(now, max)) d.expire();
    }, Math.min(1000, max));
    this.watchdog.unref();
  }

  /**
   * A stream error the client does not retry (e.g. the subscription is gone for a
   * while: an emulator restarted, a subscription being re-created) closes the
   * client's subscription; reopen it, with a growing pause, until it streams again.
   */
  private reopenDelayMs = 500;
  private reopenTimer: NodeJS.Timeout | undefined;
  private reopenLater(): void {
    if (this.reopenTimer) return;
    this.reopenTimer = setTimeout(() => {
      void (async () => {
        if (this.closing) return;
        this.reopenDelayMs = Math.min(this.reopenDelayMs * 2, 10_000);
        // close what is left of the broken stream (held messages are nacked), then stream again
        await this.subscription.close().catch(() => undefined);
        this.reopenTimer = undefined;
        if (!this.closing) this.subscription.open();
      })();
    }, this.reopenDelayMs);
    this.reopenTimer.unref();
  }

  private track<T>(p: Promise<T>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
  }

  private receive(m: Message): void {
    this.reopenDelayMs = 500;
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
    if (this.host.settings.deadLettering === "server" && m.deliveryAttempt > 0) {
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

  private process(m: Message): Promise<Result> {
    const attempt = this.attemptOf(m);
    const message = decode(this.config.stream, { id: m.id, data: m.data, attributes: m.attributes ?? {}, orderingKey: m.orderingKey ?? null });
    const d: SettleOnceDelivery<Result> = new SettleOnceDelivery<Result>(message, attempt, BACKEND, (o): Promise<Result> => this.apply(o, m, attempt, d));
    this.deliveries.add(d);
    void d.run(this.handler);
    return d.result.finally(() => this.deliveries.delete(d));
  }

  private async apply(how: Outcome, m: Message, attempt: number, d: SettleOnceDelivery<Result>): Promise<Result> {
    this.deliveries.delete(d);
    if (how === "ack") {
      m.ack();
      this.forget(m);
      return "acked";
    }
    const final = attempt >= this.config.maxDeliveryAttempts;
    if (final && this.host.settings.deadLettering === "adapter") {
      try {
        await this.host.send(this.config.deadLetterTopic, {
          data: m.data,
          attributes: {
            ...m.attributes,
            CloudPubSubDeadLetterSourceSubscription: this.subscription.name.split("/").pop() ?? this.subscription.name,
            CloudPubSubDeadLetterSourceDeliveryCount: String(attempt),
          },
          ...(m.orderingKey ? { orderingKey: m.orderingKey } : {}),
        });
      } catch (e) {
        // Not dead-lettered: the message must not be lost, so it stays unacked and comes back.
        this.host.settings.onError(e instanceof Error ? e : new Error(String(e)));
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
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const drained = await drainWithin(() => [...this.inFlight], this.host.settings.drainTimeoutMs);
      // bounded: what still runs is nacked (handed to the next subscriber)
      if (!drained) for (const d of [...this.deliveries]) d.expire();
      clearInterval(this.watchdog);
      clearTimeout(this.reopenTimer);
      // Deliveries that arrived while draining were held unsettled; closing nacks them.
      // The error listener stays: a stream ending after close must not become an unhandled 'error'.
      await this.subscription.close().catch(() => undefined);
    })();
    return this.closing;
  }
}
