/**
 * In-process EventBus: topics and subscriptions of the manifest live in
 * memory. Each subscription keeps its own queue; events with an ordering key
 * are delivered one at a time per key, in publish order, also across nacks;
 * a nacked event comes back with attempt+1 and, after maxDeliveryAttempts,
 * goes to the stream's dead-letter topic. The ack deadline is a lease extended
 * while the handler runs, up to maxAckExtensionMs (see ../../eventbus/delivery).
 */
import { adapterClosed, unknownStream, unknownSubscription } from "../../errors";
import { drainWithin, SettleOnceDelivery, type Outcome } from "../../eventbus/delivery";
import { BusHealth } from "../../eventbus/health";
import type { EventBusManifest } from "../../manifest/schema";
import type { DeadLetterReader, DeliveryHandler, EventBus, EventMessage, Health, HealthReporter, OutgoingEvent, SubscriptionHandle, TopologyProvisioner } from "../../ports";
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

interface Subscriber {
  readonly handler: DeliveryHandler;
  readonly running: Set<Promise<void>>;
  readonly deliveries: Set<SettleOnceDelivery<void>>;
  closed: boolean;
}

class SubscriptionState {
  readonly queue: Entry[] = [];
  readonly subscribers: Subscriber[] = [];
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

  private pickSubscriber(): Subscriber | undefined {
    const open = this.subscribers.filter((c) => !c.closed);
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
      const subscriber = this.pickSubscriber();
      if (!subscriber) return;
      if (key !== undefined) blocked.add(key);
      this.deliver(entry, subscriber);
    }
    if (wakeAt !== Infinity) this.schedule(Math.max(0, wakeAt - Date.now()));
  }

  private deliver(entry: Entry, subscriber: Subscriber): void {
    entry.inFlight = true;
    entry.attempt += 1;
    this.inFlight += 1;
    const message: EventMessage = {
      stream: this.stream,
      id: entry.msg.id,
      type: entry.msg.type,
      data: JSON.parse(entry.msg.data),
      ...(entry.msg.orderingKey !== undefined ? { orderingKey: entry.msg.orderingKey } : {}),
      attributes: { ...entry.msg.attributes },
    };
    const apply = (outcome: Outcome) => {
      clearTimeout(lease);
      subscriber.deliveries.delete(delivery);
      this.inFlight -= 1;
      entry.inFlight = false;
      if (outcome === "ack") {
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
      } else if (entry.attempt >= this.maxDeliveryAttempts) {
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
        this.bus.deadLetter(this.stream, entry.msg);
      } else {
        entry.notBefore = Date.now() + this.settings.redeliveryDelayMs;
      }
      this.schedule(outcome === "ack" ? 0 : this.settings.redeliveryDelayMs);
    };
    const delivery = new SettleOnceDelivery<void>(message, entry.attempt, BACKEND, apply);
    // The ack deadline is extended while the handler runs; past the maximum extension the delivery is nacked.
    const lease = setTimeout(() => delivery.expire(), this.settings.maxAckExtensionMs);
    subscriber.deliveries.add(delivery);
    const run = (async () => {
      await Promise.resolve(); // never run a handler inside pump()
      await delivery.run(subscriber.handler);
    })();
    subscriber.running.add(run);
    void run.finally(() => subscriber.running.delete(run));
  }

  /** Closes a subscriber (one subscribe() call): no new deliveries; waits for its handlers up to drainTimeoutMs, then nacks what still runs. */
  async closeSubscriber(subscriber: Subscriber): Promise<void> {
    subscriber.closed = true;
    const i = this.subscribers.indexOf(subscriber);
    if (i >= 0) this.subscribers.splice(i, 1);
    const drained = await drainWithin(() => [...subscriber.running], this.settings.drainTimeoutMs);
    if (!drained) for (const d of [...subscriber.deliveries]) d.expire();
  }
}

export class MemoryEventBus implements EventBus, DeadLetterReader, TopologyProvisioner, HealthReporter {
  readonly kind = "memory";
  /** Nothing in process can be unreachable: always ok; the same HealthReporter as the other buses. */
  private readonly problems = new BusHealth(BACKEND);
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

  health(): Health {
    return this.problems.report();
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
    const subscriber: Subscriber = { handler, running: new Set(), deliveries: new Set(), closed: false };
    state.subscribers.push(subscriber);
    state.schedule(0);
    return {
      close: async () => {
        if (subscriber.closed) return;
        await state.closeSubscriber(subscriber);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const closing: Promise<void>[] = [];
    for (const s of this.subs.values()) for (const c of [...s.subscribers]) closing.push(s.closeSubscriber(c));
    await Promise.allSettled(closing);
    this.closed = true;
    for (const s of this.subs.values()) s.stop();
  }
}

export function createMemoryEventBus(manifest: Pick<EventBusManifest, "streams" | "subscriptions"> & { kind?: "memory" }, options: MemoryEventBusOptions = {}): MemoryEventBus {
  return new MemoryEventBus(memoryEventBusSettings(manifest, options));
}
