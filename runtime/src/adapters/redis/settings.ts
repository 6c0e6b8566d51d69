import type { CacheManifest } from "../../manifest/schema";
import { resolveSecret } from "../../secrets";
import { caOnlyWithTls, checkSettings, numberBetween } from "../rules";

/** Settings of the Redis cache (Memorystore on gcp, the Redis chart on portable). */
export interface RedisSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** PEM of the private CA that signed the server certificate (manifest `ca`); undefined: the system trust store. */
  readonly ca: string | undefined;
  readonly password: string | undefined;
  /** Prefix of every key (manifest cache.keyPrefix plus the test namespace). */
  readonly keyPrefix: string;
  /** Also take a short Redis lock on a miss, so only one instance loads (cross-process single-flight). @default false */
  readonly distributedLock: boolean;
  /** Lifetime of that lock. @default 5000 ms */
  readonly lockTtlMs: number;
  /** Connect timeout. @default 5000 ms */
  readonly connectTimeoutMs: number;
}

export interface RedisOptions {
  /** Appended to manifest cache.keyPrefix (tests: one namespace per run). */
  readonly namespace?: string;
  readonly distributedLock?: boolean;
  readonly lockTtlMs?: number;
  readonly connectTimeoutMs?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function redisSettings(m: Extract<CacheManifest, { kind: "redis" }>, o: RedisOptions = {}): RedisSettings {
  const s: RedisSettings = {
    host: m.host,
    port: m.port,
    tls: m.tls,
    ca: m.ca ? resolveSecret(m.ca, "redis cache CA certificate", o.env) : undefined,
    password: m.auth ? resolveSecret(m.auth, "redis cache auth", o.env) : undefined,
    keyPrefix: m.keyPrefix + (o.namespace ? `${o.namespace}:` : ""),
    distributedLock: o.distributedLock ?? false,
    lockTtlMs: o.lockTtlMs ?? 5000,
    connectTimeoutMs: o.connectTimeoutMs ?? 5000,
  };
  checkSettings("redis cache", [
    numberBetween("lockTtlMs", s.lockTtlMs, 100),
    caOnlyWithTls(m.ca, m.tls, "only with tls: true"),
  ]);
  return s;
}
