import { invalidSetting } from "../../errors";
import type { CacheManifest } from "../../manifest/schema";
import { resolveSecret } from "../../secrets";

/** Settings of the Redis cache (Memorystore on gcp, the Redis chart on portable). */
export interface RedisSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
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
    password: m.auth ? resolveSecret(m.auth, "redis cache auth", o.env) : undefined,
    keyPrefix: m.keyPrefix + (o.namespace ? `${o.namespace}:` : ""),
    distributedLock: o.distributedLock ?? false,
    lockTtlMs: o.lockTtlMs ?? 5000,
    connectTimeoutMs: o.connectTimeoutMs ?? 5000,
  };
  if (!(s.lockTtlMs >= 100)) throw invalidSetting("redis cache", "lockTtlMs", s.lockTtlMs, "a number of milliseconds >= 100");
  return s;
}
