/**
 * The ReadStore conformance suite: the same assertions for every adapter
 * (pglite, clickhouse, spanner). The factory returns a new, connected store on
 * a fresh namespace; the suite calls it once per run and keeps ids and cities
 * unique per test.
 */
import type { ReadStore, UnitView } from "../../src/ports";
import { uniqueRunId } from "./util";

export type ReadStoreFactory = () => Promise<ReadStore>;

export function describeReadStoreConformance(label: string, factory: ReadStoreFactory): void {
  describe(`ReadStore conformance: ${label}`, () => {
    const run = uniqueRunId();
    let store: ReadStore;
    let n = 0;
    const next = (what: string) => `${what}-${run}-${++n}`;
    const unit = (over: Partial<UnitView> = {}): UnitView => ({
      unitId: next("u"),
      propertyId: next("p"),
      city: next("City"),
      bedrooms: 2,
      rentCents: 150_000,
      currency: "EUR",
      status: "available",
      version: 1,
      updatedAt: "2026-01-02T03:04:05.000Z",
      ...over,
    });

    beforeAll(async () => {
      store = await factory();
    });
    afterAll(async () => {
      if (store) await store.close();
    });

    it("answers ping", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it("applies a new unit and reads it back unchanged", async () => {
      const u = unit();
      expect(await store.upsertUnit(u, next("e"))).toBe("applied");
      expect(await store.getUnit(u.unitId)).toEqual(u);
      expect(await store.getUnit(next("missing"))).toBeUndefined();
    });

    it("answers duplicate for an event id it has applied, and keeps the row", async () => {
      const u = unit();
      const e = next("e");
      expect(await store.upsertUnit(u, e)).toBe("applied");
      expect(await store.upsertUnit({ ...u, version: 2, rentCents: 1 }, e)).toBe("duplicate");
      expect(await store.getUnit(u.unitId)).toEqual(u);
    });

    it("answers stale for an older or equal version, and keeps the row", async () => {
      const u = unit({ version: 3 });
      expect(await store.upsertUnit(u, next("e"))).toBe("applied");
      expect(await store.upsertUnit({ ...u, version: 2, rentCents: 1 }, next("e"))).toBe("stale");
      expect(await store.upsertUnit({ ...u, version: 3, rentCents: 2 }, next("e"))).toBe("stale");
      expect(await store.getUnit(u.unitId)).toEqual(u);
    });

    it("applies a newer version over the old row", async () => {
      const u = unit();
      await store.upsertUnit(u, next("e"));
      const v2 = { ...u, version: 2, rentCents: 99_000, status: "leased" as const, updatedAt: "2026-02-01T00:00:00.000Z" };
      expect(await store.upsertUnit(v2, next("e"))).toBe("applied");
      expect(await store.getUnit(u.unitId)).toEqual(v2);
    });

    it("ends on the newest version whatever order versions arrive in", async () => {
      const u = unit();
      const versions = [3, 1, 5, 2, 4];
      await Promise.all(versions.map((v) => store.upsertUnit({ ...u, version: v, rentCents: 1000 * v }, next("e"))));
      expect(await store.getUnit(u.unitId)).toMatchObject({ version: 5, rentCents: 5000 });
    });

    it("searches by city, max rent, min bedrooms and status, ordered by rent then unit id, with a limit", async () => {
      const city = next("Town");
      const p = next("p");
      const rows = [
        unit({ unitId: `${run}-s1`, propertyId: p, city, rentCents: 120_000, bedrooms: 1 }),
        unit({ unitId: `${run}-s2`, propertyId: p, city, rentCents: 90_000, bedrooms: 3 }),
        unit({ unitId: `${run}-s3`, propertyId: p, city, rentCents: 90_000, bedrooms: 2 }),
        unit({ unitId: `${run}-s4`, propertyId: p, city, rentCents: 200_000, bedrooms: 4 }),
        unit({ unitId: `${run}-s5`, propertyId: p, city, rentCents: 80_000, bedrooms: 2, status: "leased" }),
        unit({ unitId: `${run}-s6`, city: next("Elsewhere"), rentCents: 10_000 }),
      ];
      for (const r of rows) await store.upsertUnit(r, next("e"));
      const ids = async (q: Parameters<ReadStore["searchUnits"]>[0]) => (await store.searchUnits(q)).map((u) => u.unitId.replace(`${run}-`, ""));
      expect(await ids({ city })).toEqual(["s5", "s2", "s3", "s1", "s4"]);
      expect(await ids({ city, status: "available" })).toEqual(["s2", "s3", "s1", "s4"]);
      expect(await ids({ city, status: "available", maxRentCents: 120_000 })).toEqual(["s2", "s3", "s1"]);
      expect(await ids({ city, minBedrooms: 2, maxRentCents: 150_000 })).toEqual(["s5", "s2", "s3"]);
      expect(await ids({ city, limit: 2 })).toEqual(["s5", "s2"]);
      expect((await store.searchUnits({ city }))[0]).toEqual(rows[4]);
    });

    it("counts units and leased units of a property (only the newest version of each unit)", async () => {
      const p = next("p");
      const a = unit({ propertyId: p });
      const b = unit({ propertyId: p, status: "leased" });
      const c = unit({ propertyId: p, status: "unlisted" });
      for (const r of [a, b, c]) await store.upsertUnit(r, next("e"));
      await store.upsertUnit({ ...a, version: 2, status: "leased" }, next("e"));
      expect(await store.occupancy(p)).toEqual({ propertyId: p, units: 3, leased: 2 });
      const empty = next("p");
      expect(await store.occupancy(empty)).toEqual({ propertyId: empty, units: 0, leased: 0 });
    });
  });
}
