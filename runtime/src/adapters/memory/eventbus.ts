/**
 * In-process EventBus: topics and subscriptions of the manifest live in
 * memory. Each subscription keeps its own queue; events with an ordering key
 * are delivered one at a time per key, in publish order, also across nacks;
 * a nacked event comes back with attempt+1 and, after maxDeliveryAttempts,
 * goes to the stream's dead-letter topic.
 */
import { adapterClosed, alreadySettled, unknownStream, unknownSubscription } from "../../errors";
import type { EventBusManifest } from "../../manifest/schema";
import type { DeadLetterReader, Delivery, DeliveryHandler, EventBus, EventMessage, OutgoingEvent, SubscriptionHandle, TopologyProvisioner } from "../../ports";
import { memoryEventBusSettings, type MemoryEventBusOptions, type MemoryEventBusSettings } from "./settings";

const BACKEND = "memory event bus";

interface Stored {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly orderingKey?: string;
  readonly attributes: Record<string, string>;
}

interface Entry {
  readonly msg: Stored;
  attempt: number;
  inFlight: boolean;
  notBefore: number;
}

interface Consumer {
  readonly handler: DeliveryHandler;
  readonly running: Set<Promise<void>>;
  closed: boolean;
}

class SubscriptionState {
  readonly queue: Entry[] = [];
  readonly consumers: Consumer[] = [];
  private rr = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;

  constructor(
    readonly name: string,
    readonly stream: string,
    readonly maxDeliveryAttempts: number,
    readonly ackDeadlineMs: number,
    private readonly bus: MemoryEventBus,
    private readonly settings: MemoryEventBusSettings,
  ) {}

  enqueue(msg: Stored): void {
    this.queue.push({ msg, attempt: 0, inFlight: false, notBefore: 0 });
    this.schedule(0);
  }

  schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, delayMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pickConsumer(): Consumer | undefined {
    const open = this.consumers.filter((c) => !c.closed);
    if (open.length === 0) return undefined;
    return open[this.rr++ % open.length];
  }

  private pump(): void {
    if (this.bus.isClosed) return;
    const blocked = new Set<string>();
    const now = Date.now();
    let wakeAt = Infinity;
    // a snapshot: settling (even synchronously) removes entries from the queue
    for (const entry of [...this.queue]) {
      const key = entry.msg.orderingKey;
      if (entry.inFlight || (key !== undefined && blocked.has(key))) {
        if (key !== undefined) blocked.add(key);
        continue;
      }
      if (entry.notBefore > now) {
        wakeAt = Math.min(wakeAt, entry.notBefore);
        if (key !== undefined) blocked.add(key);
        continue;
      }
      if (this.inFlight >= this.settings.maxInFlight) break;
      const consumer = this.pickConsumer();
      if (!consumer) return;
      if (key !== undefined) blocked.add(key);
      this.deliver(entry, consumer);
    }
    if (wakeAt !== Infinity) this.schedule(Math.max(0, wakeAt - Date.now()));
  }

  private deliver(entry: Entry, consumer: Consumer): void {
    entry.inFlight = true;
    entry.attempt += 1;
    this.inFlight += 1;
    let settled = false;
    const message: EventMessage = {
      stream: this.stream,
      id: entry.msg.id,
      type: entry.msg.type,
      data: JSON.parse(entry.msg.data),
      ...(entry.msg.orderingKey !== undefined ? { orderingKey: entry.msg.orderingKey } : {}),
      attributes: { ...entry.msg.attributes },
    };
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      this.inFlight -= 1;
      entry.inFlight = false;
      if (ok) {
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
      } else if (entry.attempt >= this.maxDeliveryAttempts) {
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
        this.bus.deadLetter(this.stream, entry.msg);
      } else {
        entry.notBefore = Date.now() + this.settings.redeliveryDelayMs;
      }
      this.schedule(ok ? 0 : this.settings.redeliveryDelayMs);
    };
    // An unsettled delivery past its ack deadline counts as a nack.
    const deadline = setTimeout(() => settle(false), this.ackDeadlineMs);
    const delivery: Delivery = {
      message,
      attempt: entry.attempt,
      ack: async () => {
        if (settled) throw alreadySettled(BACKEND, message.id);
        settle(true);
      },
      nack: async () => {
        if (settled) throw alreadySettled(BACKEND, message.id);
        settle(false);
      },
    };
    const run = (async () => {
      try {
        await Promise.resolve(); // never run a handler inside pump()
        await consumer.handler(delivery);
        settle(true);
      } catch {
        settle(false);
      }
    })();
    consumer.running.add(run);
    void run.finally(() => consumer.running.delete(run));
  }
}

export class MemoryEventBus implements EventBus, DeadLetterReader, TopologyProvisioner {
  readonly kind = "memory";
  private readonly subs = new Map<string, SubscriptionState>();
  private readonly deadLetters = new Map<string, EventMessage[]>();
  private closed = false;

  constructor(private readonly settings: MemoryEventBusSettings) {
    for (const [name, s] of Object.entries(settings.subscriptions)) {
      this.subs.set(name, new SubscriptionState(name, s.stream, s.maxDeliveryAttempts, s.ackDeadlineSeconds * 1000, this, settings));
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async ping(): Promise<void> {
    if (this.closed) throw adapterClosed(BACKEND);
  }

  /** Topology exists as soon as the bus does; nothing to create. */
  async ensureTopology(): Promise<void> {}

  async publish(stream: string, event: OutgoingEvent): Promise<void> {
    if (this.closed) throw adapterClosed(BACKEND);
    const s = this.settings.streams[stream];
    if (!s) throw unknownStream(BACKEND, stream, Object.keys(this.settings.streams));
    this.publishToTopic(s.topic, {
      id: event.id,
      type: event.type,
      data: JSON.stringify(event.data),
      ...(event.orderingKey !== undefined ? { orderingKey: event.orderingKey } : {}),
      attributes: { ...(event.attributes ?? {}) },
    });
  }

  private publishToTopic(topic: string, msg: Stored): void {
    for (const state of this.subs.values()) {
      if (this.settings.streams[state.stream]?.topic === topic) state.enqueue(msg);
    }
  }

  /** Called by a subscription when an event ran out of attempts. */
  deadLetter(stream: string, msg: Stored): void {
    const s = this.settings.streams[stream]!;
    const list = this.deadLetters.get(stream) ?? [];
    list.push({ stream, id: msg.id, type: msg.type, data: JSON.parse(msg.data), ...(msg.orderingKey !== undefined ? { orderingKey: msg.orderingKey } : {}), attributes: { ...msg.attributes } });
    this.deadLetters.set(stream, list);
    this.publishToTopic(s.deadLetterTopic, msg);
  }

  async takeDeadLetters(stream: string, max: number, timeoutMs: number): Promise<EventMessage[]> {
    if (!this.settings.streams[stream]) throw unknownStream(BACKEND, stream, Object.keys(this.settings.streams));
    const deadline = Date.now() + timeoutMs;
    while ((this.deadLetters.get(stream)?.length ?? 0) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const list = this.deadLetters.get(stream) ?? [];
    return list.splice(0, max);
  }

  async subscribe(subscription: string, handler: DeliveryHandler): Promise<SubscriptionHandle> {
    if (this.closed) throw adapterClosed(BACKEND);
    const state = this.subs.get(subscription);
    if (!state) throw unknownSubscription(BACKEND, subscription, [...this.subs.keys()]);
    const consumer: Consumer = { handler, running: new Set(), closed: false };
    state.consumers.push(consumer);
    state.schedule(0);
    return {
      close: async () => {
        if (consumer.closed) return;
        consumer.closed = true;
        const i = state.consumers.indexOf(consumer);
        if (i >= 0) state.consumers.splice(i, 1);
        while (consumer.running.size > 0) await Promise.allSettled([...consumer.running]);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const running: Promise<void>[] = [];
    for (const s of this.subs.values()) {
      for (const c of s.consumers) {
        c.closed = true;
        running.push(...c.running);
      }
    }
    await Promise.allSettled(running);
    this.closed = true;
    for (const s of this.subs.values()) s.stop();
  }
}

export function createMemoryEventBus(manifest: Pick<EventBusManifest, "streams" | "subscriptions"> & { kind?: "memory" }, options: MemoryEventBusOptions = {}): MemoryEventBus {
  return new MemoryEventBus(memoryEventBusSettings(manifest, options));
}
