/**
 * Consumer-side deduplication by event id (the relay and the buses deliver at
 * least once). The default memory is an in-process LRU; a shared DedupeStore
 * (e.g. on the Cache, or the ReadStore's own applied-events table) makes it
 * hold across instances.
 */
import type { Cache, Delivery, DeliveryHandler } from "../ports";

export interface DedupeStore {
  has(eventId: string): Promise<boolean>;
  add(eventId: string): Promise<void>;
}

/** In-process LRU of processed event ids. */
export function memoryDedupeStore(maxEntries = 100_000): DedupeStore {
  const ids = new Set<string>();
  return {
    has: async (id) => ids.has(id),
    add: async (id) => {
      ids.delete(id);
      ids.add(id);
      if (ids.size > maxEntries) ids.delete(ids.values().next().value as string);
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
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly store: DedupeStore = memoryDedupeStore()) {}

  /**
   * Runs `fn` unless `eventId` was processed before. Concurrent calls for one
   * id wait for the first; if it fails the id is not remembered (redelivery retries it).
   */
  async once(eventId: string, fn: () => Promise<void>): Promise<"processed" | "duplicate"> {
    const inflight = this.running.get(eventId);
    if (inflight) {
      await inflight.catch(() => undefined);
      return this.once(eventId, fn);
    }
    if (await this.store.has(eventId)) return "duplicate";
    const p = (async () => {
      await fn();
      await this.store.add(eventId);
    })();
    this.running.set(eventId, p);
    try {
      await p;
      return "processed";
    } finally {
      this.running.delete(eventId);
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
