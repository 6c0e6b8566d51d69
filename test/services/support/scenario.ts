/**
 * The end-to-end scenario, run unchanged on every profile (one runner file
 * per profile): the public API through HTTP only, against the processes
 * `npm start` runs.
 */
import { openApiDocument } from "../../../services/api/openapi";
import type { Profile } from "../../../services/launcher/profiles";
import { call, eventually, runId, startProfile, type Reply, type Running } from "./harness";

const address = (city: string) => ({ line1: "1 Quay Street", city, postalCode: "1100-001", country: "PT" });
const unitBody = (label: string, cents: number, bedrooms = 2) => ({ label, bedrooms, size: { value: 70, unit: "sqm" }, rent: { amountCents: cents, currency: "EUR" } });

export function describeScenario(profile: Profile): void {
  describe(`services end to end (${profile})`, () => {
    let app: Running;
    const id = runId();
    const tenantA = `a${id}`;
    const tenantB = `b${id}`;
    const city = `Lisbon ${id}`;
    let tokenA: string;
    let tokenB: string;
    let propertyId: string;
    let unitA: string;
    let unitB: string;
    let applicationId: string;
    let leaseId: string;

    const as = (token: string) => ({
      get: (path: string) => call(app.url, "GET", path, { token }),
      post: (path: string, body?: unknown, headers?: Record<string, string>) => call(app.url, "POST", path, { token, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) }),
    });
    const search = (q = "") => as(tokenA).get(`/search/units?city=${encodeURIComponent(city)}${q}`);
    const unitIds = (r: Reply): string[] => (r.body?.items ?? []).map((u: { unitId: string }) => u.unitId);
    const occupancy = () => as(tokenA).get(`/search/occupancy/${propertyId}`);

    beforeAll(async () => {
      app = await startProfile(profile);
      tokenA = app.token(tenantA);
      tokenB = app.token(tenantB);
    }, 180_000);
    afterAll(async () => {
      await app?.stop();
    }, 60_000);

    test("given no token, when any documented route except health and readiness is called, then it answers 401 problem+json (so every documented route exists)", async () => {
      const uuid = "00000000-0000-4000-8000-000000000000";
      for (const [path, ops] of Object.entries(openApiDocument.paths)) {
        for (const method of Object.keys(ops)) {
          const r = await call(app.url, method.toUpperCase(), path.replace(/\{[A-Za-z]+\}/g, uuid) + (path === "/search/units" ? "?city=x" : ""), method === "post" ? { body: {} } : {});
          if (path === "/healthz" || path === "/readyz") expect([path, r.status]).toEqual([path, 200]);
          else {
            expect([method, path, r.status]).toEqual([method, path, 401]);
            expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
          }
        }
      }
    });

    test("given API Gateway in front, when the caller's token arrives as X-Forwarded-Authorization and Authorization holds the gateway's token, then the caller's token decides", async () => {
      const gatewayToken = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2FjY291bnRzLmdvb2dsZS5jb20ifQ.c2ln";
      const ok = await call(app.url, "GET", `/search/units?city=${encodeURIComponent(city)}`, { headers: { authorization: gatewayToken, "x-forwarded-authorization": `Bearer ${tokenA}` } });
      expect(ok.status).toBe(200);
      const forged = await call(app.url, "GET", `/search/units?city=${encodeURIComponent(city)}`, { headers: { authorization: `Bearer ${tokenA}`, "x-forwarded-authorization": gatewayToken } });
      expect(forged.status).toBe(401);
    });

    test("given a manager token, when a property is registered and two units are added, then each answers 201 with a version", async () => {
      const p = await as(tokenA).post("/properties", { name: "Harbour View", address: address(city) });
      expect(p.status).toBe(201);
      propertyId = p.body.propertyId;
      const a = await as(tokenA).post(`/properties/${propertyId}/units`, unitBody("1A", 120_000));
      const b = await as(tokenA).post(`/properties/${propertyId}/units`, unitBody("1B", 95_000, 1));
      expect([a.status, b.status]).toEqual([201, 201]);
      unitA = a.body.unitId;
      unitB = b.body.unitId;
      expect(b.body.version).toBe(3);
    });

    test("given units that are not listed, when one is listed, then search finds exactly it (after the projection)", async () => {
      expect((await as(tokenA).post(`/properties/${propertyId}/units/${unitA}/list`)).status).toBe(200);
      const r = await eventually("unit A searchable", () => search(), (x) => unitIds(x).includes(unitA));
      expect(unitIds(r)).toEqual([unitA]);
      expect(r.body.items[0]).toMatchObject({ propertyId, city, bedrooms: 2, rent: { amountCents: 120_000, currency: "EUR" }, status: "available" });
      expect(unitIds(await search("&maxRentCents=100000"))).toEqual([]);
    });

    test("given a listed unit, when an application is approved and a lease signed, then the unit is no longer available and occupancy counts it", async () => {
      const app1 = await as(tokenA).post(`/units/${unitA}/applications`, { applicant: { name: "Ana Lima", email: "ana@example.com" }, moveIn: "2027-01-01" });
      expect(app1.status).toBe(201);
      applicationId = app1.body.applicationId;
      expect((await as(tokenA).post(`/units/${unitA}/applications/${applicationId}/approve`)).status).toBe(200);
      const lease = await as(tokenA).post(`/units/${unitA}/leases`, { applicationId, period: { start: "2027-01-01", end: "2028-01-01" }, rent: { amountCents: 120_000, currency: "EUR" } });
      expect(lease.status).toBe(201);
      leaseId = lease.body.leaseId;
      await eventually("unit A not available", () => search(), (x) => x.status === 200 && !unitIds(x).includes(unitA));
      expect(unitIds(await search("&status=leased"))).toEqual([unitA]);
      const o = await eventually("occupancy 1 of 2", occupancy, (x) => x.body?.leased === 1);
      expect(o.body).toEqual({ propertyId, units: 2, leased: 1, occupancyRate: 0.5 });
    });

    test("given a leased unit, when a second lease is signed, then 409 and nothing changes", async () => {
      const r = await as(tokenA).post(`/units/${unitA}/leases`, { applicationId, period: { start: "2027-01-01", end: "2028-01-01" }, rent: { amountCents: 1, currency: "EUR" } });
      expect(r.status).toBe(409);
    });

    test("given an active lease, when it is terminated, then the unit is available again and occupancy drops", async () => {
      expect((await as(tokenA).post(`/units/${unitA}/leases/${leaseId}/terminate`, { terminatedOn: "2027-06-30" })).status).toBe(200);
      await eventually("unit A available again", () => search(), (x) => unitIds(x).includes(unitA));
      const o = await eventually("occupancy 0 of 2", occupancy, (x) => x.body?.leased === 0);
      expect(o.body.units).toBe(2);
    });

    test("given bad payloads, when commands are sent, then 400 problem+json names the field and nothing is stored", async () => {
      const before = await as(tokenA).get(`/properties/${propertyId}`);
      const cases: [string, unknown, string][] = [
        [`/properties/${propertyId}/units`, { ...unitBody("2A", 1000), bedrooms: "two" }, "bedrooms"],
        [`/properties/${propertyId}/units`, { ...unitBody("2A", 1000), rent: { amountCents: -5, currency: "EUR" } }, "rent.amountCents"],
        [`/properties/${propertyId}/units`, { ...unitBody("2A", 1000), colour: "red" }, "colour"],
        [`/properties/${propertyId}/units/${unitB}/rent`, { rent: { amountCents: 1000, currency: "euro" } }, "rent.currency"],
        ["/properties", { name: "X", address: { ...address(city), country: undefined } }, "address.country"],
      ];
      for (const [path, body, field] of cases) {
        const r = await as(tokenA).post(path, body);
        expect([path, r.status, r.body?.field]).toEqual([path, 400, field]);
        expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(r.body).toMatchObject({ type: expect.stringContaining("validation"), title: expect.any(String), status: 400, detail: expect.stringContaining(field) });
      }
      const invalidJson = await as(tokenA).post(`/properties/${propertyId}/units`, "{not json");
      expect([invalidJson.status, invalidJson.body.field]).toEqual([400, "body"]);
      const after = await as(tokenA).get(`/properties/${propertyId}`);
      expect(after.body).toEqual(before.body);
    });

    test("given two updates based on the same version, when sent concurrently, then one succeeds and the other answers 409", async () => {
      const current = (await as(tokenA).get(`/properties/${propertyId}`)).body.version as number;
      const [x, y] = await Promise.all([
        as(tokenA).post(`/properties/${propertyId}/units/${unitB}/rent`, { rent: { amountCents: 99_000, currency: "EUR" }, expectedVersion: current }),
        as(tokenA).post(`/properties/${propertyId}/units/${unitB}/rent`, { rent: { amountCents: 98_000, currency: "EUR" }, expectedVersion: current }),
      ]);
      expect([x.status, y.status].sort()).toEqual([200, 409]);
      expect((x.status === 409 ? x : y).body.type).toMatch(/stale-version/);
    });

    test("given an Idempotency-Key, when a command is retried, then the first result is returned and applied once; a different body with the key is refused", async () => {
      const key = { "Idempotency-Key": `add-${id}` };
      const first = await as(tokenA).post(`/properties/${propertyId}/units`, unitBody("3A", 70_000), key);
      const retry = await as(tokenA).post(`/properties/${propertyId}/units`, unitBody("3A", 70_000), key);
      expect(first.status).toBe(201);
      expect([retry.status, retry.body, retry.headers.get("idempotent-replayed")]).toEqual([201, first.body, "true"]);
      const p = await as(tokenA).get(`/properties/${propertyId}`);
      expect(p.body.units.filter((u: { label: string }) => u.label === "3A")).toHaveLength(1);
      expect((await as(tokenA).post(`/properties/${propertyId}/units`, unitBody("3B", 70_000), key)).status).toBe(422);
    });

    test("given another tenant's token, when it tries every route with the first tenant's ids, then each answers 404 (never 403, never data) and nothing changes", async () => {
      const before = await as(tokenA).get(`/properties/${propertyId}`);
      const b = as(tokenB);
      const attempts: [string, Reply][] = [
        ["getProperty", await b.get(`/properties/${propertyId}`)],
        ["addUnit", await b.post(`/properties/${propertyId}/units`, unitBody("9Z", 1000))],
        ["listUnit", await b.post(`/properties/${propertyId}/units/${unitB}/list`)],
        ["unlistUnit", await b.post(`/properties/${propertyId}/units/${unitA}/unlist`)],
        ["changeRent", await b.post(`/properties/${propertyId}/units/${unitA}/rent`, { rent: { amountCents: 1, currency: "EUR" } })],
        ["submitApplication", await b.post(`/units/${unitA}/applications`, { applicant: { name: "Eve", email: "eve@example.com" }, moveIn: "2027-01-01" })],
        ["approveApplication", await b.post(`/units/${unitA}/applications/${applicationId}/approve`)],
        ["rejectApplication", await b.post(`/units/${unitA}/applications/${applicationId}/reject`)],
        ["signLease", await b.post(`/units/${unitA}/leases`, { applicationId, period: { start: "2027-01-01", end: "2028-01-01" }, rent: { amountCents: 1, currency: "EUR" } })],
        ["terminateLease", await b.post(`/units/${unitA}/leases/${leaseId}/terminate`, { terminatedOn: "2027-06-30" })],
        ["getUnitLeasing", await b.get(`/units/${unitA}/leasing`)],
        ["getOccupancy", await b.get(`/search/occupancy/${propertyId}`)],
      ];
      expect(attempts.map(([op, r]) => [op, r.status])).toEqual(attempts.map(([op]) => [op, 404]));
      const covered = new Set(attempts.map(([op]) => op).concat(["registerProperty", "searchUnits", "health", "ready"]));
      const documented = Object.values(openApiDocument.paths).flatMap((ops) => Object.values(ops).map((o) => (o as { operationId: string }).operationId));
      expect(documented.filter((op) => !covered.has(op))).toEqual([]);
      const sb = await b.get(`/search/units?city=${encodeURIComponent(city)}&status=available`);
      expect([sb.status, sb.body.items]).toEqual([200, []]);
      expect((await as(tokenA).get(`/properties/${propertyId}`)).body).toEqual(before.body);
    });

    test("given a viewer token of the same tenant, when it sends a command, then 403 (decided from the token, before any data is read)", async () => {
      const viewer = app.token(tenantA, ["viewer"]);
      expect((await as(viewer).post(`/properties/${propertyId}/units/${unitB}/list`)).status).toBe(403);
      expect((await as(viewer).post(`/properties/00000000-0000-4000-8000-000000000000/units/${unitB}/list`)).status).toBe(403);
      expect((await as(viewer).get(`/properties/${propertyId}`)).status).toBe(200);
    });

    test("given the searchCache flag, when it is switched off and on in the manifest while running, then search bypasses and then uses the cache without a restart", async () => {
      app.setFlags({ searchCache: false });
      await eventually("cache off", () => search(), (r) => r.headers.get("x-cache") === "off");
      app.setFlags({ searchCache: true });
      await eventually("cache on", () => search(), (r) => r.headers.get("x-cache") === "miss" || r.headers.get("x-cache") === "hit");
      expect((await search()).headers.get("x-cache")).toBe("hit");
    });
  });
}
