/**
 * The one rule-checking helper of the adapters' settings.ts: a short list of
 * `{ ok, key, value, allowed }` rules run in one place; the first broken one
 * throws `invalidSetting` naming the adapter, the key, the value and what is allowed.
 */
import { invalidSetting } from "../errors";

export interface SettingRule {
  readonly ok: boolean;
  readonly key: string;
  readonly value: unknown;
  readonly allowed: string;
}

export function checkSettings(adapter: string, rules: readonly SettingRule[]): void {
  for (const r of rules) if (!r.ok) throw invalidSetting(adapter, r.key, r.value, r.allowed);
}

/** An integer >= min. */
export function intAtLeast(key: string, value: number, min: number): SettingRule {
  return { ok: Number.isInteger(value) && value >= min, key, value, allowed: `an integer >= ${min}` };
}

/** A number in [min, max] (max optional). */
export function numberBetween(key: string, value: number, min: number, max = Infinity): SettingRule {
  return { ok: typeof value === "number" && value >= min && value <= max, key, value, allowed: max === Infinity ? `a number >= ${min}` : `${min} to ${max}` };
}

/** A private CA (manifest `ca`) only where the connection is TLS; the reference itself is not echoed. */
export function caOnlyWithTls(ca: unknown, tls: boolean, allowed: string): SettingRule {
  return { ok: !ca || tls, key: "ca", value: "(a CA reference)", allowed };
}

/** Every subscription names a stream of the manifest. */
export function subscriptionStreamRules(streams: Readonly<Record<string, unknown>>, subscriptions: Readonly<Record<string, { readonly stream: string }>>): SettingRule[] {
  const known = Object.keys(streams).join(", ") || "none";
  return Object.entries(subscriptions).map(([name, sub]) => ({
    ok: Object.prototype.hasOwnProperty.call(streams, sub.stream),
    key: `subscriptions.${name}.stream`,
    value: sub.stream,
    allowed: `a stream of eventBus.streams (${known})`,
  }));
}
