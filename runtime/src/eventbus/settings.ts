/**
 * Delivery settings every EventBus adapter shares (ack-deadline lease and
 * bounded drain), with their defaults and checks.
 */
import { numberBetween, type SettingRule } from "../adapters/rules";

export interface DeliveryOptions {
  /**
   * How long the adapter keeps extending a delivery's ack deadline while its
   * handler runs; after that the delivery is nacked and redelivered.
   * @default 3600000 ms (60 minutes, Pub/Sub's default maximum extension)
   */
  readonly maxAckExtensionMs?: number;
  /**
   * How long close() waits for in-flight handlers; the deliveries still
   * running then are nacked (handed to the next subscriber) and close() returns.
   * @default 10000 ms
   */
  readonly drainTimeoutMs?: number;
}

export interface DeliverySettings {
  readonly maxAckExtensionMs: number;
  readonly drainTimeoutMs: number;
}

export function deliverySettings(o: DeliveryOptions): { settings: DeliverySettings; rules: SettingRule[] } {
  const settings = { maxAckExtensionMs: o.maxAckExtensionMs ?? 3_600_000, drainTimeoutMs: o.drainTimeoutMs ?? 10_000 };
  return {
    settings,
    rules: [numberBetween("maxAckExtensionMs", settings.maxAckExtensionMs, 1, 24 * 3_600_000), numberBetween("drainTimeoutMs", settings.drainTimeoutMs, 0, 3_600_000)],
  };
}
