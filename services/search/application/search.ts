/**
 * Search use cases, read through the cache when the `searchCache` flag is on
 * (the default when the manifest does not name it).
 *
 * Invalidation by generation: every (tenant, city) has a generation token in
 * the cache; answers are cached under it, and the projector replaces the token
 * when a unit of that city changes, so the next search misses. Occupancy per
 * property is cached under its own generation, which the projector replaces.
 */
import { randomUUID } from "node:crypto";
import { NotFound } from "../../kernel/domain/errors";
import type { Json } from "../../kernel/domain/events";
import { entityId, type TenantId } from "../../kernel/domain/values";
import type { UnitSearch } from "../domain/query";

export interface UnitResult {
  readonly unitId: string;
  readonly propertyId: string;
  readonly city: string;
  readonly bedrooms: number;
  readonly rent: { readonly amountCents: number; readonly currency: string };
  readonly status: "available" | "leased" | "unlisted";
  readonly version: number;
}

export interface SearchReadModel {
  search(q: UnitSearch): Promise<UnitResult[]>;
  occupancy(tenant: TenantId, propertyId: string): Promise<{ units: number; leased: number }>;
}

export interface SearchCache {
  get<T extends Json>(key: string): Promise<T | undefined>;
  set(key: string, value: Json, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  getOrLoad<T extends Json>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
}

export type CacheOutcome = "hit" | "miss" | "off";

export const SEARCH_CACHE_FLAG = "searchCache";
export const ANSWER_TTL_MS = 60_000;
const GENERATION_TTL_MS = 24 * 3600_000;

export const cacheKeys = {
  generation: (tenantId: string, city: string) => `search:gen:${tenantId}:${encodeURIComponent(city)}`,
  answer: (tenantId: string, city: string, generation: string, key: string) => `search:units:${tenantId}:${encodeURIComponent(city)}:${generation}:${key}`,
  propertyGeneration: (tenantId: string, propertyId: string) => `search:pgen:${tenantId}:${propertyId}`,
  occupancy: (tenantId: string, propertyId: string, generation: string) => `search:occupancy:${tenantId}:${propertyId}:${generation}`,
};

export class SearchService {
  constructor(
    private readonly readModel: SearchReadModel,
    private readonly cache: SearchCache,
    private readonly cacheEnabled: () => boolean,
  ) {}

  /** The answer as a JSON document {"items":[...]}, cached serialized (a hit is served without re-encoding). */
  async units(q: UnitSearch): Promise<{ json: string; cache: CacheOutcome }> {
    const encode = async () => JSON.stringify({ items: await this.readModel.search(q) });
    if (!this.cacheEnabled()) return { json: await encode(), cache: "off" };
    const generation = await this.generation(cacheKeys.generation(q.tenant.value, q.city));
    let loaded = false;
    const json = await this.cache.getOrLoad<string>(cacheKeys.answer(q.tenant.value, q.city, generation, q.cacheKey), ANSWER_TTL_MS, async () => {
      loaded = true;
      return encode();
    });
    return { json, cache: loaded ? "miss" : "hit" };
  }

  private generation(key: string): Promise<string> {
    return currentGeneration(this.cache, key);
  }

  /** 404 when the tenant has no unit in that property (also another tenant's property). */
  async occupancy(tenant: TenantId, propertyId: string): Promise<{ result: { propertyId: string; units: number; leased: number; occupancyRate: number }; cache: CacheOutcome }> {
    entityId("propertyId", propertyId);
    let cache: CacheOutcome = "off";
    let o: { units: number; leased: number };
    if (this.cacheEnabled()) {
      cache = "hit";
      const generation = await this.generation(cacheKeys.propertyGeneration(tenant.value, propertyId));
      o = await this.cache.getOrLoad(cacheKeys.occupancy(tenant.value, propertyId, generation), ANSWER_TTL_MS, async () => {
        cache = "miss";
        return this.readModel.occupancy(tenant, propertyId);
      });
    } else {
      o = await this.readModel.occupancy(tenant, propertyId);
    }
    if (o.units === 0) throw new NotFound("property", propertyId);
    return { result: { propertyId, units: o.units, leased: o.leased, occupancyRate: Math.round((o.leased / o.units) * 1000) / 1000 }, cache };
  }
}

/** The current generation token of a key; a missing one starts a fresh generation (never reuses an old one). */
async function currentGeneration(cache: SearchCache, key: string): Promise<string> {
  const found = await cache.get<string>(key);
  if (found !== undefined) return found;
  const fresh = randomUUID();
  await cache.set(key, fresh, GENERATION_TTL_MS);
  return fresh;
}

/** The projector's side: makes the cached answers of a change stale. */
export class SearchCacheInvalidation {
  constructor(private readonly cache: SearchCache) {}
  async cityChanged(tenantId: string, city: string): Promise<void> {
    await this.cache.set(cacheKeys.generation(tenantId, city), randomUUID(), GENERATION_TTL_MS);
  }
  async propertyChanged(tenantId: string, propertyId: string): Promise<void> {
    await this.cache.set(cacheKeys.propertyGeneration(tenantId, propertyId), randomUUID(), GENERATION_TTL_MS);
  }
}
