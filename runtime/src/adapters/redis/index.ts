/**
 * Cache on Redis (ioredis), the same for gcp (Memorystore) and portable.
 * getOrLoad is single-flight within the process and, with distributedLock,
 * across processes (SET NX PX lock; the others wait for the value).
 */
import type { Redis } from "ioredis";
import { randomUUID } from "node:crypto";
import { backendUnreachable } from "../../errors";
import type { CacheManifest } from "../../manifest/schema";
import type { Cache, JsonValue } from "../../ports";
import { SingleFlight } from "../../cache/singleflight";
import { redisSettings, type RedisOptions, type RedisSettings } from "./settings";

export * from "./settings";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RedisCache implements Cache {
  readonly kind = "redis";
  private readonly flights = new SingleFlight();
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly settings: RedisSettings,
  ) {}

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async get<T extends JsonValue>(key: string): Promise<T | undefined> {
    const v = await this.redis.get(key);
    return v === null ? undefined : (JSON.parse(v) as T);
  }

  async set(key: string, value: JsonValue, ttlMs: number): Promise<void> {
    await this.redis.set(key, JSON.stringify(value), "PX", Math.max(1, Math.round(ttlMs)));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(key);
  }

  async getOrLoad<T extends JsonValue>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const hit = await this.get<T>(key);
    if (hit !== undefined) return hit;
    return this.flights.run(key, async () => {
      if (!this.settings.distributedLock) return this.loadAndSet(key, ttlMs, load);
      const lockKey = `lock:${key}`;
      const token = randomUUID();
      const deadline = Date.now() + this.settings.lockTtlMs;
      for (;;) {
        const got = await this.redis.set(lockKey, token, "PX", this.settings.lockTtlMs, "NX");
        if (got === "OK") {
          try {
            const again = await this.get<T>(key);
            return again !== undefined ? again : await this.loadAndSet(key, ttlMs, load);
          } finally {
            // release only our own lock
            await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, lockKey, token);
          }
        }
        const v = await this.get<T>(key);
        if (v !== undefined) return v;
        if (Date.now() > deadline) return this.loadAndSet(key, ttlMs, load); // lock holder died: load anyway
        await sleep(25);
      }
    });
  }

  private async loadAndSet<T extends JsonValue>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const value = await load();
    await this.set(key, value, ttlMs);
    return JSON.parse(JSON.stringify(value)) as T;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export async function createRedisCache(manifest: Extract<CacheManifest, { kind: "redis" }>, options: RedisOptions = {}): Promise<RedisCache> {
  const s = redisSettings(manifest, options);
  const { default: IORedis } = require("ioredis") as typeof import("ioredis");
  const redis = new IORedis({
    host: s.host,
    port: s.port,
    ...(s.password !== undefined ? { password: s.password } : {}),
    ...(s.tls ? { tls: s.ca !== undefined ? { ca: s.ca } : {} } : {}),
    keyPrefix: s.keyPrefix,
    lazyConnect: true,
    connectTimeout: s.connectTimeoutMs,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
  });
  redis.on("error", () => undefined); // surfaced by the failing command instead
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw backendUnreachable("cache", "redis", `${s.host}:${s.port}`, e);
  }
  return new RedisCache(redis, s);
}
