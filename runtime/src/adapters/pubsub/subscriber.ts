/**
 * One running Pub/Sub subscriber (one subscribe() call): ordering per key,
 * attempt counting, dead-lettering, lease, bounded drain and stream recovery.
 *
 * Messages of one ordering key run one at a time, in order; after a nack the
 * following messages of that key are returned unprocessed until the nacked
 * one comes back, so a nack never lets a later event overtake it.
 *
 * Lease: the client library extends the ack deadline while the handler runs,
 * up to maxAckExtensionMs (its maxExtensionTime); a delivery still unsettled
 * then is nacked by the watchdog. A dead-letter publish that fails leaves the
 * message unacked (nacked): it comes back and is dead-lettered later.
 *
 * Stream recovery: any trouble of the streaming pull (an error that closes it,
 * e.g. the subscription is gone for a while, or a stream ending with an error
 * status the client retries, its backoff capped at RECOVERY.clientRetryMaxMs)
 * makes the subscriber degraded (reported to the bus's health) and starts one
 * recovery loop. It keeps trying, with a pause growing from 0.5 s to 10 s,
 * until the subscription exists and the stream has run for a grace period
 * without trouble, or messages flow again. A stream the client closed is
 * replaced by a FRESH client stream (never the broken one reused: the client's
 * close of the old one would close the new one's ack queues). A stream the
 * client is still retrying is left to its retry and never closed here: closing
 * a stream that may be streaming loses the messages in transit to it until the
 * server gives them out again, and the emulator then gives them out AFTER later
 * messages of their ordering key (a stale, out-of-order delivery).
 *
 * Waiting for a returned message (above) counts only healthy time: a recovery
 * restarts the wait, so an outage longer than the ack deadline does not let a
 * later event overtake a message that is still coming back.
 */
import type { Message, Subscription } from "@google-cloud/pubsub";
import { drainWithin, SettleOnceDelivery, type Outcome } from "../../eventbus/delivery";
import type { DeliveryHandler } from "../../ports";
import { ADMIN_CALL, brief, GRPC } from "./grpc";
import type { PubSubSettings } from "./settings";
import { decode, type PubSubWireMessage } from "./wire";

export const BACKEND = "pubsub";

/** Recovery: first pause, longest pause, how long a stream must run without trouble to count as healthy, and the longest pause of the client's own stream retry. */
export const RECOVERY = { firstPauseMs: 500, maxPauseMs: 10_000, graceMs: 2_000, clientRetryMaxMs: 5_000 } as const;

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
  /** A new client object for the subscription (not streaming until a 'message' listener is added). */
  clientSubscription(name: string): Subscription;
  /** Reports stream trouble (a one-line reason) and recovery (undefined): the bus's health. */
  streamState(subscription: string, problem: string | undefined): void;
}

type Result = "acked" | "nacked" | "dead-lettered";

/** A streaming-pull end the client reports as 'debug'; OK and DEADLINE_EXCEEDED are its routine stream recycling. */
const STREAM_ENDED = /^Subscriber stream \d+ has ended with status (\d+); will (not )?be retried/;

export class PubSubSubscriber {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly deliveries = new Set<SettleOnceDelivery<Result>>();
  /** Tail of the processing chain per ordering key. */
  private readonly tails = new Map<string, Promise<void>>();
  /** Ordering keys waiting for returned messages to come back, in order, and since when they last made progress. */
  private readonly blocked = new Map<string, { expected: string[]; since: number }>();
  private closing: Promise<void> | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  /** The client stream messages come from now; older ones are retired (closed, their errors ignored). */
  private stream: Subscription | undefined;
  private readonly retired = new Set<Promise<void>>();
  /** Counts trouble signals; the recovery loop compares it to tell whether new trouble came. */
  private troubles = 0;
  /** The current stream was closed by the client (it does not stream again by itself). */
  private streamClosed = false;
  private lastMessageAt = 0;
  private recovering: Promise<void> | undefined;
  /** The recovery loop's current pause (see pause()). */
  private pausing: { wake: () => void; until?: () => boolean } | undefined;

  constructor(
    private readonly host: SubscriberHost,
    private readonly handler: DeliveryHandler,
    private readonly config: SubscriberConfig,
    /** The subscription's full name (projects/…/subscriptions/…), for dead-letter attributes. */
    private readonly subscriptionName: string,
  ) {}

  start(): void {
    this.openStream();
    const max = this.host.settings.maxAckExtensionMs;
    this.watchdog = setInterval(() => {
      const now = Date.now();
      for (const d of this.deliveries) if (d.leaseExpired(now, max)) d.expire();
    }, Math.min(1000, max));
    this.watchdog.unref();
  }

  private openStream(): void {
    const s = this.host.clientSubscription(this.config.name);
    // the error listener stays on a retired stream too: a stream ending after it must not become an unhandled 'error'
    s.on("error", (e: Error) => {
      if (s !== this.stream) return;
      this.host.settings.onError(e);
      this.streamClosed = true;
      this.trouble(`streaming pull failed (${brief(e)}); reopening`);
    });
    s.on("debug", (d: { message?: string }) => {
      const ended = s === this.stream ? STREAM_ENDED.exec(d.message ?? "") : null;
      if (!ended) return;
      const code = Number(ended[1]);
      if (code === GRPC.OK || code === GRPC.DEADLINE_EXCEEDED) return;
      if (ended[2]) this.streamClosed = true;
      this.trouble(`streaming pull ended with gRPC status ${code}; ${ended[2] ? "reopening" : "the client retries"}`);
    });
    s.on("message", (m: Message) => this.receive(m));
    this.stream = s;
    this.streamClosed = false;
  }

  /** Stops taking messages from the current stream and closes it (held messages are nacked), bounded by the client's close timeout. */
  private retireStream(): void {
    const s = this.stream;
    if (!s) return;
    this.stream = undefined;
    const closed = s.close().catch(() => undefined);
    s.removeAllListeners("message");
    s.removeAllListeners("debug");
    this.retired.add(closed);
    void closed.finally(() => this.retired.delete(closed));
  }

  private trouble(problem: string): void {
    if (this.closing) return;
    this.troubles++;
    this.host.streamState(this.config.name, problem);
    this.recovering ??= this.recover().finally(() => (this.recovering = undefined));
    this.nudge();
  }

  /** Keeps trying until the stream is healthy again (see the file comment); ends early on close(). */
  private async recover(): Promise<void> {
    let pauseMs: number = RECOVERY.firstPauseMs;
    for (;;) {
      const seen = this.troubles;
      const since = Date.now();
      await this.pause(pauseMs);
      if (this.closing) return;
      pauseMs = Math.min(pauseMs * 2, RECOVERY.maxPauseMs);
      // the client's own retry worked: messages flow and nothing went wrong meanwhile
      if (!this.streamClosed && this.troubles === seen && this.lastMessageAt > since) break;
      try {
        await this.host.clientSubscription(this.config.name).getMetadata(ADMIN_CALL);
      } catch (e) {
        if (this.closing) return;
        this.host.streamState(this.config.name, `subscription not available (${brief(e)}); retrying in ${pauseMs} ms`);
        continue;
      }
      if (this.closing) return;
      let grace: number = RECOVERY.graceMs;
      if (this.streamClosed) {
        // stream again on a fresh client stream, opened after the subscription was seen
        this.retireStream();
        this.openStream();
      } else {
        // the client retries the stream itself (never closed here, see the file comment): give its next retry time
        grace += RECOVERY.clientRetryMaxMs;
      }
      const opened = this.troubles;
      const openedAt = Date.now();
      await this.pause(grace, () => this.troubles !== opened || this.lastMessageAt > openedAt);
      if (this.closing) return;
      if (this.troubles === opened) break;
    }
    // waits for returned messages count healthy time only
    const now = Date.now();
    for (const wait of this.blocked.values()) wait.since = now;
    this.host.streamState(this.config.name, undefined);
  }

  /** Waits `ms`, or until `until()` holds (checked on every trouble and message: nudge()); close() ends it early. */
  private pause(ms: number, until?: () => boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake(), ms);
      timer.unref();
      const wake = () => {
        clearTimeout(timer);
        if (this.pausing?.wake === wake) this.pausing = undefined;
        resolve();
      };
      this.pausing = { wake, ...(until ? { until } : {}) };
      if (this.closing || until?.()) wake();
    });
  }

  /** Ends the recovery loop's pause early when what it waits for came. */
  private nudge(): void {
    if (this.pausing?.until?.()) this.pausing.wake();
  }

  private track<T>(p: Promise<T>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
  }

  private receive(m: Message): void {
    this.lastMessageAt = Date.now();
    this.nudge();
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
   * enough.) If the awaited message does not come back within the ack deadline
   * of healthy streaming (not counting a recovery), the key stops waiting.
   */
  private async processOrdered(key: string, m: Message): Promise<void> {
    if (this.closing) return;
    const wait = this.blocked.get(key);
    if (wait) {
      if (!this.recovering && Date.now() - wait.since > this.config.ackDeadlineMs) {
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
            CloudPubSubDeadLetterSourceSubscription: this.subscriptionName.split("/").pop() ?? this.subscriptionName,
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
      this.pausing?.wake(); // the recovery loop sees closing and ends
      // Deliveries that arrived while draining were held unsettled; closing nacks them.
      this.retireStream();
      await Promise.all([...this.retired]);
      this.host.streamState(this.config.name, undefined);
    })();
    return this.closing;
  }
}
