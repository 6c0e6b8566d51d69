/**
 * kill -9 on portable-local: 2,000 commands (add unit, list unit, change rent)
 * from 10 concurrent clients while the property service process is killed
 * with SIGKILL at random moments and restarted. A command that got no answer
 * is retried with its Idempotency-Key until it is answered. Afterwards the
 * read model (through search, cache off) and the write side hold exactly the
 * effects of the answered commands: no unit lost, none doubled, every rent
 * and listing as last acknowledged.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call, eventually, isolatedManifest, runId } from "./support/harness";
import { ServiceProcess } from "./support/processes";
import { dropRunData } from "./support/cleanup";
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import { DevIssuer } from "../../services/platform/dev-issuer";
import { ROOT } from "./support/harness";

const COMMANDS = 2000;
const CLIENTS = 10;
const PROPERTIES_PER_CLIENT = 2;
/** SIGKILLs per run; each restart costs a process start (~1-2 s here), so this keeps the test within its budget. */
const KILLS = 10;

interface ExpectedUnit {
  rentCents: number;
  listed: boolean;
}

describe("kill -9 (portable-local)", () => {
  const id = runId();
  const dir = mkdtempSync(join(tmpdir(), "hexproperty-kill9-"));
  const tenant = `k${id}`;
  let property: ServiceProcess;
  let projector: ServiceProcess;
  let search: ServiceProcess;
  let token: string;
  let manifest: RuntimeManifest;

  beforeAll(async () => {
    manifest = { ...isolatedManifest("portable-local", id, dir), flags: { searchCache: false } };
    const manifestFile = join(dir, "manifest.json");
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const env = { HEXPROPERTY_MANIFEST_FILE: manifestFile, HEXPROPERTY_NAMESPACE: `t${id}` };
    property = new ServiceProcess("property", env);
    projector = new ServiceProcess("projector", env);
    search = new ServiceProcess("search", env);
    await Promise.all([projector.start(), property.start(), search.start()]);
    token = DevIssuer.ensure(manifest.auth, ROOT).token({ tenant });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([property?.stop(), projector?.stop(), search?.stop()]);
    rmSync(dir, { recursive: true, force: true });
    if (manifest) await dropRunData(manifest, `t${id}`);
  }, 120_000);

  test("given 2,000 commands and SIGKILLs of the service at random points, when all are answered, then the read model holds exactly the acknowledged effects", async () => {
    let restarting: Promise<string> | undefined;
    let kills = 0;
    let retries = 0;
    let sent = 0;
    let done = false;

    /** Sends until answered; the same Idempotency-Key on every retry. */
    const send = async (path: string, body: unknown, key: string) => {
      for (;;) {
        const url = restarting ? await restarting : property.url;
        try {
          const r = await call(url, "POST", path, { token, body, headers: { "Idempotency-Key": key } });
          if (r.status >= 500) throw new Error(`${r.status} ${r.text}`);
          return r;
        } catch {
          retries += 1;
          await new Promise((res) => setTimeout(res, 50));
        }
      }
    };

    // SIGKILLs at random points of the command stream (not of the clock, so a fast machine gets them too)
    const killAt = Array.from({ length: KILLS }, () => 50 + Math.floor(Math.random() * (COMMANDS - 100))).sort((a, b) => a - b);
    const killer = (async () => {
      for (const at of killAt) {
        while (!done && sent < at) await new Promise((res) => setTimeout(res, 5 + Math.random() * 20));
        if (done) break;
        kills += 1;
        restarting = property.kill9().then(() => property.start());
        await restarting;
        restarting = undefined;
      }
    })();

    const properties: { propertyId: string; city: string; units: Map<string, ExpectedUnit> }[][] = [];
    let rentCounter = 100_000;
    const client = async (c: number) => {
      const mine: { propertyId: string; city: string; units: Map<string, ExpectedUnit> }[] = [];
      properties[c] = mine;
      for (let p = 0; p < PROPERTIES_PER_CLIENT; p++) {
        const city = `K${id}-${c}-${p}`;
        const r = await send("/properties", { name: `Kill ${c}.${p}`, address: { line1: "1 Kill St", city, postalCode: "1000", country: "PT" } }, `reg-${c}-${p}`);
        expect(r.status).toBe(201);
        mine.push({ propertyId: r.body.propertyId, city, units: new Map() });
      }
      for (let n = 0; sent < COMMANDS; n++) {
        sent += 1;
        const prop = mine[n % mine.length]!;
        const units = [...prop.units.entries()];
        const unlisted = units.filter(([, u]) => !u.listed);
        const roll = Math.random();
        const key = `c${c}-${n}`;
        if (units.length === 0 || roll < 0.4) {
          const rent = (rentCounter += 1);
          const r = await send(`/properties/${prop.propertyId}/units`, { label: `U${n}`, bedrooms: n % 4, size: { value: 50, unit: "sqm" }, rent: { amountCents: rent, currency: "EUR" } }, key);
          expect([key, r.status]).toEqual([key, 201]);
          prop.units.set(r.body.unitId, { rentCents: rent, listed: false });
        } else if (unlisted.length && roll < 0.7) {
          const [unitId, u] = unlisted[Math.floor(Math.random() * unlisted.length)]!;
          const r = await send(`/properties/${prop.propertyId}/units/${unitId}/list`, {}, key);
          expect([key, r.status]).toEqual([key, 200]);
          u.listed = true;
        } else {
          const [unitId, u] = units[Math.floor(Math.random() * units.length)]!;
          const rent = (rentCounter += 1);
          const r = await send(`/properties/${prop.propertyId}/units/${unitId}/rent`, { rent: { amountCents: rent, currency: "EUR" } }, key);
          expect([key, r.status]).toEqual([key, 200]);
          u.rentCents = rent;
        }
      }
    };
    const t0 = Date.now();
    try {
      await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    } finally {
      done = true;
      await killer;
    }
    expect(kills).toBe(KILLS);

    const commandsMs = Date.now() - t0;
    const all = properties.flat();
    const expectedUnits = all.reduce((n, p) => n + p.units.size, 0);
    const readModel = async () => {
      const out = new Map<string, ExpectedUnit>();
      for (const p of all) {
        for (const status of ["available", "unlisted"] as const) {
          const r = await call(search.url, "GET", `/search/units?city=${encodeURIComponent(p.city)}&status=${status}&limit=100`, { token });
          for (const u of r.body.items as { unitId: string; rent: { amountCents: number } }[]) out.set(`${p.propertyId}/${u.unitId}`, { rentCents: u.rent.amountCents, listed: status === "available" });
        }
      }
      return out;
    };
    const expected = new Map(all.flatMap((p) => [...p.units.entries()].map(([unitId, u]) => [`${p.propertyId}/${unitId}`, u] as const)));
    const same = (m: Map<string, ExpectedUnit>) => m.size === expected.size && [...expected].every(([k, u]) => m.get(k)?.rentCents === u.rentCents && m.get(k)?.listed === u.listed);
    let actual: Map<string, ExpectedUnit>;
    try {
      actual = await eventually("read model equals the acknowledged commands", readModel, same, 240_000);
    } catch (e) {
      const now = await readModel();
      const differing = [...expected].filter(([k, u]) => now.get(k)?.rentCents !== u.rentCents || now.get(k)?.listed !== u.listed).length;
      throw new Error(`${(e as Error).message.split(";")[0]}; ${now.size} rows for ${expected.size} expected units, ${differing} differ\nprojector output:\n${projector.output()}`);
    }
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    // the write side too: no doubled unit in any aggregate
    for (const p of all) {
      const r = await call(property.url, "GET", `/properties/${p.propertyId}`, { token });
      expect(r.body.units.map((u: { unitId: string }) => u.unitId).sort()).toEqual([...p.units.keys()].sort());
    }
    process.stdout.write(`kill -9: ${sent} commands in ${(commandsMs / 1000).toFixed(1)} s, ${kills} SIGKILLs, ${retries} retried sends, ${expectedUnits} units in ${all.length} properties; read model equal ${((Date.now() - t0 - commandsMs) / 1000).toFixed(1)} s after the last answer\n`);
  }, 560_000);
});
