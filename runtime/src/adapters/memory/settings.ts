import { invalidSetting } from "../../errors";
import type { CacheManifest, EventBusManifest } from "../../manifest/schema";

/** Settings of the in-process event bus, derived from the manifest's eventBus section. */
export interface MemoryEventBusSettings {
  readonly streams: EventBusManifest["streams"];
  readonly subscriptions: EventBusManifest["subscriptions"];
  /** Deliveries in flight per subscription (events without ordering key run concurrently). @default 16 */
  readonly maxInFlight: number;
  /** Delay before a nacked event is delivered again. @default 10 ms */
  readonly redeliveryDelayMs: number;
}

export interface MemoryEventBusOptions {
  readonly maxInFlight?: number;
  readonly redeliveryDelayMs?: number;
}

export function memoryEventBusSettings(m: Pick<EventBusManifest, "streams" | "subscriptions">, o: MemoryEventBusOptions = {}): MemoryEventBusSettings {
  const s = { streams: m.streams, subscriptions: m.subscriptions, maxInFlight: o.maxInFlight ?? 16, redeliveryDelayMs: o.redeliveryDelayMs ?? 10 };
  if (!Number.isInteger(s.maxInFlight) || s.maxInFlight < 1) throw invalidSetting("memory event bus", "maxInFlight", s.maxInFlight, "an integer >= 1");
  if (!(s.redeliveryDelayMs >= 0)) throw invalidSetting("memory event bus", "redeliveryDelayMs", s.redeliveryDelayMs, "a number >= 0");
  for (const [name, sub] of Object.entries(s.subscriptions)) {
    if (!s.streams[sub.stream]) throw invalidSetting("memory event bus", `subscriptions.${name}.stream`, sub.stream, `a stream of eventBus.streams (${Object.keys(s.streams).join(", ")})`);
  }
  return s;
}

/** Settings of the in-process LRU cache. */
export interface MemoryCacheSettings {
  /** Entries kept before the least recently used is evicted. */
  readonly maxEntries: number;
}

export function memoryCacheSettings(m: Extract<CacheManifest, { kind: "memory" }>): MemoryCacheSettings {
  if (!Number.isInteger(m.maxEntries) || m.maxEntries < 1) throw invalidSetting("memory cache", "maxEntries", m.maxEntries, "an integer >= 1");
  return { maxEntries: m.maxEntries };
}
