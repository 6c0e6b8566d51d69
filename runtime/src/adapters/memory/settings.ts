import { deliverySettings, type DeliveryOptions, type DeliverySettings } from "../../eventbus/settings";
import type { CacheManifest, EventBusManifest } from "../../manifest/schema";
import { checkSettings, intAtLeast, numberBetween, subscriptionStreamRules } from "../rules";

/** Settings of the in-process event bus, derived from the manifest's eventBus section. */
export interface MemoryEventBusSettings extends DeliverySettings {
  readonly streams: EventBusManifest["streams"];
  readonly subscriptions: EventBusManifest["subscriptions"];
  /** Deliveries in flight per subscription (events without ordering key run concurrently). @default 16 */
  readonly maxInFlight: number;
  /** Delay before a nacked event is delivered again. @default 10 ms */
  readonly redeliveryDelayMs: number;
}

export interface MemoryEventBusOptions extends DeliveryOptions {
  readonly maxInFlight?: number;
  readonly redeliveryDelayMs?: number;
}

export function memoryEventBusSettings(m: Pick<EventBusManifest, "streams" | "subscriptions">, o: MemoryEventBusOptions = {}): MemoryEventBusSettings {
  const delivery = deliverySettings(o);
  const s = { streams: m.streams, subscriptions: m.subscriptions, maxInFlight: o.maxInFlight ?? 16, redeliveryDelayMs: o.redeliveryDelayMs ?? 10, ...delivery.settings };
  checkSettings("memory event bus", [
    intAtLeast("maxInFlight", s.maxInFlight, 1),
    numberBetween("redeliveryDelayMs", s.redeliveryDelayMs, 0),
    ...delivery.rules,
    ...subscriptionStreamRules(s.streams, s.subscriptions),
  ]);
  return s;
}

/** Settings of the in-process LRU cache. */
export interface MemoryCacheSettings {
  /** Entries kept before the least recently used is evicted. */
  readonly maxEntries: number;
}

export function memoryCacheSettings(m: Extract<CacheManifest, { kind: "memory" }>): MemoryCacheSettings {
  checkSettings("memory cache", [intAtLeast("maxEntries", m.maxEntries, 1)]);
  return { maxEntries: m.maxEntries };
}
