/** In-process LRU cache with per-entry TTL and single-flight getOrLoad. */
import { adapterClosed } from "../../errors";
import type { CacheManifest } from "../../manifest/schema";
import type { Cache, JsonValue } from "../../ports";
import { SingleFlight } from "../../cache/singleflight";
import { memoryCacheSettings, type MemoryCacheSettings } from "./settings";

interface Item {
  readonly json: string;
  readonly expiresAt: number;
}

export class MemoryCache implements Cache {
  readonly kind = "memory";
  private readonly items = new Map<string, Item>();
  private readonly flights = new SingleFlight();
  private closed = false;

  constructor(private readonly settings: MemoryCacheSettings) {}

  async ping(): Promise<void> {
    if (this.closed) throw adapterClosed("memory cache");
  }

  async get<T extends JsonValue>(key: string): Promise<T | undefined> {
    const item = this.items.get(key);
    if (!item) return undefined;
    if (item.expiresAt <= Date.now()) {
      this.items.delete(key);
      return undefined;
    }
    // most recently used goes last
    this.items.delete(key);
    this.items.set(key, item);
    return JSON.parse(item.json) as T;
  }

  async set(key: string, value: JsonValue, ttlMs: number): Promise<void> {
    if (this.closed) throw adapterClosed("memory cache");
    this.items.delete(key);
    this.items.set(key, { json: JSON.stringify(value), expiresAt: Date.now() + ttlMs });
    while (this.items.size > this.settings.maxEntries) {
      const oldest = this.items.keys().next().value as string;
      this.items.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.items.delete(key);
  }

  async getOrLoad<T extends JsonValue>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const hit = await this.get<T>(key);
    if (hit !== undefined) return hit;
    return this.flights.run(key, async () => {
      const again = await this.get<T>(key);
      if (again !== undefined) return again;
      const value = await load();
      await this.set(key, value, ttlMs);
      return JSON.parse(JSON.stringify(value)) as T;
    });
  }

  /** Entries currently held (expired ones may still count until touched). */
  get size(): number {
    return this.items.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.items.clear();
  }
}

export function createMemoryCache(manifest: Extract<CacheManifest, { kind: "memory" }>): MemoryCache {
  return new MemoryCache(memoryCacheSettings(manifest));
}
