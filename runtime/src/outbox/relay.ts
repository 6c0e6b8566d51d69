/**
 * Generic outbox relay: reads the WriteStore's pending outbox, publishes each
 * entry to its stream on the EventBus, then marks it sent. At-least-once: a
 * crash between publish and markSent publishes the entry again on restart,
 * so consumers deduplicate by event id (see ./dedupe).
 *
 * Order per aggregate: entries of one aggregate are published one after the
 * other in outbox order; when one fails, the later ones of that aggregate
 * wait for the next round. Different aggregates are published concurrently.
 *
 * Poisoned entries: an entry whose publish failed `maxAttempts` rounds in a row
 * is parked (when the store can park, see OutboxParking): reported as an error
 * log and the metric `outbox_parked`, left out of pendingOutbox() together with
 * the later entries of its aggregate, so other aggregates keep flowing.
 * `parked()` lists them, `retryParked()` returns them to the outbox.
 */
import { oneLine, outboxParkingUnsupported } from "../errors";
import { hasOutboxParking, type EventBus, type Logger, type OutboxEntry, type ParkedOutboxEntry, type Telemetry, type WriteStore } from "../ports";

export interface OutboxRelayOptions {
  /** Entries read per round. @default 100 */
  readonly batchSize?: number;
  /** Pause between rounds when the outbox was drained. @default 200 ms */
  readonly intervalMs?: number;
  /** Aggregates published concurrently. @default 16 */
  readonly concurrency?: number;
  /** Where failures are reported. @default silent */
  readonly logger?: Logger;
  /** Where the relay counts parked entries (`outbox_parked`). @default none */
  readonly metrics?: Pick<Telemetry, "counter">;
  /** Failed publish rounds of one entry before it is parked. @default 5 */
  readonly maxAttempts?: number;
}

export class OutboxRelay {
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly concurrency: number;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private published = 0;
  private parkedCount = 0;
  private readonly maxAttempts: number;
  /** Failed rounds per outbox position (since its last success or park). */
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly store: WriteStore,
    private readonly bus: EventBus,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.intervalMs = options.intervalMs ?? 200;
    this.concurrency = options.concurrency ?? 16;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  /** Entries this relay has parked since it was created. */
  get parkedEntries(): number {
    return this.parkedCount;
  }

  /** Parked outbox entries, oldest first (the store must support parking). */
  async parked(limit = 100): Promise<ParkedOutboxEntry[]> {
    if (!hasOutboxParking(this.store)) throw outboxParkingUnsupported(this.store.kind);
    return this.store.parkedOutbox(limit);
  }

  /** Returns parked entries (all by default) to the outbox; the next rounds publish them in order. */
  async retryParked(positions?: readonly string[]): Promise<number> {
    if (!hasOutboxParking(this.store)) throw outboxParkingUnsupported(this.store.kind);
    const n = await this.store.unparkOutbox(positions);
    for (const p of positions ?? [...this.failures.keys()]) this.failures.delete(p);
    this.wake();
    return n;
  }

  /** Events published by this relay since it was created. */
  get publishedCount(): number {
    return this.published;
  }

  /** One round: publishes up to batchSize pending entries; returns how many were published. Throws the first publish error after marking the others sent. */
  async runOnce(): Promise<number> {
    const pending = await this.store.pendingOutbox(this.batchSize);
    if (pending.length === 0) return 0;
    const groups = new Map<string, OutboxEntry[]>();
    for (const e of pending) {
      const key = `${e.aggregateType}\u0000${e.aggregateId}`;
      const list = groups.get(key);
      if (list) list.push(e);
      else groups.set(key, [e]);
    }
    const sent: string[] = [];
    let firstError: unknown;
    const queue = [...groups.values()];
    const worker = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        for (const entry of group) {
          try {
            const { stream, ...event } = entry.event;
            await this.bus.publish(stream, event);
            sent.push(entry.position);
            if (this.failures.size) this.failures.delete(entry.position);
          } catch (e) {
            firstError ??= e;
            await this.failed(entry, e);
            break; // later entries of this aggregate wait: order per aggregate
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    if (sent.length) await this.store.markSent(sent);
    this.published += sent.length;
    if (firstError !== undefined) throw firstError;
    return sent.length;
  }

  private async failed(entry: OutboxEntry, error: unknown): Promise<void> {
    const n = (this.failures.get(entry.position) ?? 0) + 1;
    this.failures.set(entry.position, n);
    if (n < this.maxAttempts) return;
    const reason = `publish to stream "${entry.event.stream}" failed ${n} times: ${oneLine(error)}`;
    const fields = { position: entry.position, eventId: entry.event.id, stream: entry.event.stream, aggregate: `${entry.aggregateType}/${entry.aggregateId}`, reason };
    if (!hasOutboxParking(this.store)) {
      this.options.logger?.error("outbox entry keeps failing and this store cannot park it; later entries of its aggregate wait", fields);
      return;
    }
    try {
      await this.store.parkOutbox(entry.position, reason);
    } catch (e) {
      this.options.logger?.error("outbox entry keeps failing; parking it failed too", { ...fields, parkError: oneLine(e) });
      return;
    }
    this.failures.delete(entry.position);
    this.parkedCount++;
    this.options.metrics?.counter("outbox_parked", 1, { stream: entry.event.stream });
    this.options.logger?.error("outbox entry parked: it kept failing; later entries of its aggregate wait until it is retried (relay.retryParked())", fields);
  }

  /** Starts polling in the background (idempotent). */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        let n = 0;
        try {
          n = await this.runOnce();
        } catch (e) {
          this.options.logger?.warn("outbox relay round failed; retrying", { error: e instanceof Error ? e.message : String(e) });
        }
        if (n < this.batchSize && !this.stopping) await this.pause();
      }
    })();
  }

  /** Ends the pause before the next round (e.g. right after a save). */
  wake(): void {
    this.wakeUp?.();
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, this.intervalMs);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** Stops after the current round (graceful). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    const loop = this.loop;
    this.loop = undefined;
    if (loop) await loop;
  }
}
