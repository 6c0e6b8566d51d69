/**
 * Generic outbox relay: reads the WriteStore's pending outbox, publishes each
 * entry to its stream on the EventBus, then marks it sent. At-least-once: a
 * crash between publish and markSent publishes the entry again on restart,
 * so consumers deduplicate by event id (see ./dedupe).
 *
 * Order per aggregate: entries of one aggregate are published one after the
 * other in outbox order; when one fails, the later ones of that aggregate
 * wait for the next round. Different aggregates are published concurrently.
 */
import type { EventBus, Logger, OutboxEntry, WriteStore } from "../ports";

export interface OutboxRelayOptions {
  /** Entries read per round. @default 100 */
  readonly batchSize?: number;
  /** Pause between rounds when the outbox was drained. @default 200 ms */
  readonly intervalMs?: number;
  /** Aggregates published concurrently. @default 16 */
  readonly concurrency?: number;
  /** Where failures are reported. @default silent */
  readonly logger?: Logger;
}

export class OutboxRelay {
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly concurrency: number;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private published = 0;

  constructor(
    private readonly store: WriteStore,
    private readonly bus: EventBus,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.intervalMs = options.intervalMs ?? 200;
    this.concurrency = options.concurrency ?? 16;
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
          } catch (e) {
            firstError ??= e;
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
