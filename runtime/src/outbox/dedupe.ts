/**
 * Consumer-side deduplication by event id (the relay and the buses deliver at
 * least once). The default memory is an in-process LRU; a shared DedupeStore
 * (e.g. on the Cache, or the ReadStore's own applied-events table) makes it
 * hold across instances.
 */
import { invalidSetting } from "../errors";
import type { Cache, Delivery, DeliveryHandler } from "../ports";

export interface DedupeStore {
  has(eventId: string): Promise<boolean>;
  add(eventId: string): Promise<void>;
}

/** In-process LRU of processed event ids: holds exactly the last `maxEntries` ids. */
export function memoryDedupeStore(maxEntries = 100_000): DedupeStore {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw invalidSetting("memory dedupe store", "maxEntries", maxEntries, "an integer >= 1");
  const ids = new Set<string>();
  return {
    has: async (id) => ids.has(id),
    add: async (id) => {
      ids.delete(id);
      ids.add(id);
      while (ids.size > maxEntries) ids.delete(ids.values().next().value as string);
    },
  };
}

/** Event ids remembered in the Cache for `ttlMs` (shared by all instances using that cache). */
export function cacheDedupeStore(cache: Cache, ttlMs: number, prefix = "dedupe:"): DedupeStore {
  return {
    has: async (id) => (await cache.get(prefix + id)) !== undefined,
    add: async (id) => cache.set(prefix + id, 1, ttlMs),
  };
}

export class EventDeduplicator {
  private readonly running = new Map<string, Promise<"processed" | "duplicate">>();

  constructor(private readonly store: DedupeStore = memoryDedupeStore()) {}

  /**
   * Runs `fn` unless `eventId` was processed before. Concurrent calls for one
   * id wait for the first; if it fails the id is not remembered (redelivery retries it).
   */
  async once(eventId: string, fn: () => Promise<void>): Promise<"processed" | "duplicate"> {
    // The in-flight entry is registered before the first await, so a concurrent
    // call for the same id always finds it (no window between has() and set()).
    for (let inflight = this.running.get(eventId); inflight; inflight = this.running.get(eventId)) {
      const outcome = await inflight.catch(() => undefined);
      if (outcome === "processed" || outcome === "duplicate") return "duplicate";
      // the first one failed: its id is not remembered, so this call tries (or waits again)
    }
    const p = (async (): Promise<"processed" | "duplicate"> => {
      if (await this.store.has(eventId)) return "duplicate";
      await fn();
      // remembered only after the work succeeded: a failed event is retried on redelivery
      await this.store.add(eventId);
      return "processed";
    })();
    this.running.set(eventId, p);
    try {
      return await p;
    } finally {
      if (this.running.get(eventId) === p) this.running.delete(eventId);
    }
  }
}

/** Wraps a handler so a redelivered event id is acked without running it again. */
export function dedupeHandler(handler: DeliveryHandler, dedupe: EventDeduplicator = new EventDeduplicator()): DeliveryHandler {
  return async (d: Delivery) => {
    let nacked = false;
    const wrapped: Delivery = {
      message: d.message,
      attempt: d.attempt,
      ack: () => d.ack(),
      nack: async () => {
        nacked = true;
        await d.nack();
      },
    };
    try {
      const outcome = await dedupe.once(d.message.id, async () => {
        await handler(wrapped);
        if (nacked) throw NACKED; // not processed: do not remember the id
      });
      if (outcome === "duplicate") await d.ack();
    } catch (e) {
      if (e !== NACKED) throw e;
    }
  };
}

const NACKED = Symbol("nacked in handler");
