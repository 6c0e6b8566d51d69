/**
 * The Cache conformance suite: the same assertions for every adapter (memory,
 * redis). The factory returns a new, connected cache on a fresh key prefix;
 * the suite calls it once per run and keeps keys unique per test.
 */
import type { Cache } from "../../src/ports";
import { sleep, uniqueRunId } from "./util";

export type CacheFactory = () => Promise<Cache>;

export function describeCacheConformance(label: string, factory: CacheFactory): void {
  describe(`Cache conformance: ${label}`, () => {
    const run = uniqueRunId();
    let cache: Cache;
    let n = 0;
    const key = (what: string) => `conf:${run}:${what}:${++n}`;

    beforeAll(async () => {
      cache = await factory();
    });
    afterAll(async () => {
      if (cache) await cache.close();
    });

    it("answers ping", async () => {
      await expect(cache.ping()).resolves.toBeUndefined();
    });

    it("returns what was set (JSON values) and undefined for a missing key", async () => {
      const k = key("v");
      expect(await cache.get(k)).toBeUndefined();
      await cache.set(k, { city: "Lyon", rents: [1, 2.5], ok: true, none: null }, 10_000);
      expect(await cache.get(k)).toEqual({ city: "Lyon", rents: [1, 2.5], ok: true, none: null });
      const s = key("s");
      await cache.set(s, "text", 10_000);
      expect(await cache.get(s)).toBe("text");
      const z = key("z");
      await cache.set(z, 0, 10_000);
      expect(await cache.get(z)).toBe(0);
    });

    it("forgets a deleted key", async () => {
      const k = key("d");
      await cache.set(k, 1, 10_000);
      await cache.delete(k);
      expect(await cache.get(k)).toBeUndefined();
      await cache.delete(k); // deleting a missing key is harmless
    });

    it("expires an entry after its TTL", async () => {
      const k = key("ttl");
      await cache.set(k, "short", 150);
      expect(await cache.get(k)).toBe("short");
      await sleep(400);
      expect(await cache.get(k)).toBeUndefined();
    });

    it("single-flight: concurrent getOrLoad calls for one missing key share one load", async () => {
      const k = key("sf");
      let calls = 0;
      const load = async () => {
        calls++;
        await sleep(100);
        return { loaded: calls };
      };
      const results = await Promise.all(Array.from({ length: 10 }, () => cache.getOrLoad(k, 10_000, load)));
      expect(calls).toBe(1);
      for (const r of results) expect(r).toEqual({ loaded: 1 });
      expect(await cache.getOrLoad(k, 10_000, load)).toEqual({ loaded: 1 });
      expect(calls).toBe(1);
      expect(await cache.get(k)).toEqual({ loaded: 1 });
    });

    it("getOrLoad: a failing load reaches every waiter and is not cached", async () => {
      const k = key("fail");
      let calls = 0;
      const failing = async (): Promise<number> => {
        calls++;
        await sleep(50);
        throw new Error("backend down");
      };
      const results = await Promise.allSettled([1, 2, 3].map(() => cache.getOrLoad(k, 10_000, failing)));
      expect(results.every((r) => r.status === "rejected" && /backend down/.test(String(r.reason)))).toBe(true);
      expect(calls).toBe(1);
      expect(await cache.getOrLoad(k, 10_000, async () => 7)).toBe(7);
    });

    it("getOrLoad loads again after the TTL", async () => {
      const k = key("reload");
      let calls = 0;
      const load = async () => ++calls;
      expect(await cache.getOrLoad(k, 150, load)).toBe(1);
      await sleep(400);
      expect(await cache.getOrLoad(k, 150, load)).toBe(2);
    });
  });
}
