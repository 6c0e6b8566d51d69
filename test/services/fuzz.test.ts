/**
 * Fuzz on portable-local: 1,000 generated bad requests (wrong types, huge
 * strings, odd Unicode, negative money, missing and extra fields, invalid
 * JSON, wrong content types, oversize bodies, bad path parameters and
 * headers) against the property, leasing and search processes. Every answer
 * is a 4xx problem (no 5xx, no 2xx), and PostgreSQL holds exactly what the
 * setup stored: same aggregates, same versions, same outbox.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { call, isolatedManifest, ROOT, runId } from "./support/harness";
import { ServiceProcess } from "./support/processes";
import { dropRunData } from "./support/cleanup";
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import { DevIssuer } from "../../services/platform/dev-issuer";

const REQUESTS = 1000;

/** Small deterministic PRNG (mulberry32), so a failure can be replayed with its seed. */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Obj = Record<string, unknown>;
interface Target {
  readonly service: "property" | "leasing" | "search";
  readonly method: "POST" | "GET";
  path(ids: Ids): string;
  /** A valid body (POST) — the fuzzer breaks it; undefined for a GET. */
  body?(): Obj;
  /** True when an empty object is a valid body (then "missing field" cannot break it). */
  readonly emptyBodyValid?: boolean;
}
interface Ids {
  propertyId: string;
  unitId: string;
}

const money = () => ({ amountCents: 120000, currency: "EUR" });
const targets: Target[] = [
  { service: "property", method: "POST", path: () => "/properties", body: () => ({ name: "Fuzz House", address: { line1: "1 Fuzz St", city: "Fuzzville", postalCode: "1000", country: "PT" } }) },
  { service: "property", method: "POST", path: (i) => `/properties/${i.propertyId}/units`, body: () => ({ label: "F1", bedrooms: 2, size: { value: 50, unit: "sqm" }, rent: money() }) },
  { service: "property", method: "POST", path: (i) => `/properties/${i.propertyId}/units/${i.unitId}/rent`, body: () => ({ rent: { amountCents: 130000, currency: "EUR" } }) },
  { service: "property", method: "POST", path: (i) => `/properties/${i.propertyId}/units/${i.unitId}/unlist`, body: () => ({ expectedVersion: 3 }), emptyBodyValid: true },
  { service: "leasing", method: "POST", path: (i) => `/units/${i.unitId}/applications`, body: () => ({ applicant: { name: "Fuzz", email: "f@example.com" }, moveIn: "2027-01-01" }) },
  { service: "leasing", method: "POST", path: (i) => `/units/${i.unitId}/leases`, body: () => ({ applicationId: "00000000-0000-4000-8000-000000000001", period: { start: "2027-01-01", end: "2028-01-01" }, rent: money() }) },
  { service: "leasing", method: "POST", path: (i) => `/units/${i.unitId}/leases/00000000-0000-4000-8000-000000000002/terminate`, body: () => ({ terminatedOn: "2027-06-01" }) },
  { service: "search", method: "GET", path: () => "/search/units?city=Fuzzville" },
];

const ODD = ["\ud800", "\udfff", "a\u0000b", "\u0007bell", "line\u2028sep", "\u001b[31mred", "   ", "", "\ud83d"];
const WRONG = [1, -1, 1.5, true, null, [], {}, "12", "x".repeat(300)];

function leaves(o: Obj, prefix: string[] = []): string[][] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === "object" && !Array.isArray(v) ? leaves(v as Obj, [...prefix, k]) : [[...prefix, k]]));
}
function setAt(o: Obj, path: string[], value: unknown, remove = false): Obj {
  const copy = structuredClone(o);
  let cur = copy as Obj;
  for (const k of path.slice(0, -1)) cur = cur[k] as Obj;
  if (remove) delete cur[path[path.length - 1]!];
  else cur[path[path.length - 1]!] = value;
  return copy;
}

interface Case {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly headers: Record<string, string>;
}

function generate(random: () => number, ids: Ids): Case {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const t = pick(targets);
  const json = { "content-type": "application/json" };
  if (t.method === "GET") {
    const bad = pick([
      ["city=", "empty city"],
      ["city=Fuzzville&maxRentCents=-5", "negative rent"],
      ["city=Fuzzville&maxRentCents=abc", "non-numeric rent"],
      ["city=Fuzzville&minBedrooms=1e3", "exponent bedrooms"],
      ["city=Fuzzville&status=sold", "unknown status"],
      ["city=Fuzzville&limit=0", "zero limit"],
      ["city=Fuzzville&limit=100000", "huge limit"],
      ["city=Fuzzville&extra=1", "extra parameter"],
      ["", "missing city"],
      [`city=${encodeURIComponent("x".repeat(500))}`, "huge city"],
      ["city=%00", "NUL city"],
      ["city=Fuzzville&city=Other", "repeated city"],
      ["city=%ED%A0%80", "lone surrogate bytes"],
    ] as const);
    return { label: `GET search ${bad[1]}`, method: "GET", path: `/search/units?${bad[0]}`, headers: {} };
  }
  const valid = t.body!();
  const path = t.path(ids);
  const kind = pick(["wrong-type", "huge-string", "odd-unicode", "negative-money", "missing", "extra", "invalid-json", "content-type", "oversize", "bad-path", "bad-key", "not-object", "bad-date"] as const);
  const leaf = pick(leaves(valid));
  switch (kind) {
    case "wrong-type": {
      const v = pick(WRONG.filter((w) => typeof w !== typeof leaf.reduce<unknown>((o, k) => (o as Obj)[k], valid) || (typeof w === "string" && w.length > 200)));
      return { label: `${kind} ${leaf.join(".")}=${JSON.stringify(v).slice(0, 20)}`, method: "POST", path, body: JSON.stringify(setAt(valid, leaf, v)), headers: json };
    }
    case "huge-string":
      return { label: `${kind} ${leaf.join(".")}`, method: "POST", path, body: JSON.stringify(setAt(valid, leaf, "\u00e9".repeat(1000 + Math.floor(random() * 6000)))), headers: json };
    case "odd-unicode": {
      const strLeaf = leaves(valid).filter((p) => typeof p.reduce<unknown>((o, k) => (o as Obj)[k], valid) === "string");
      const p = strLeaf.length ? pick(strLeaf) : leaf;
      return { label: `${kind} ${p.join(".")}`, method: "POST", path, body: JSON.stringify(setAt(valid, p, pick(ODD))), headers: json };
    }
    case "negative-money": {
      if (!("rent" in valid)) return generate(random, ids);
      const v = pick([-1, -120000, 0, -0.5, 1.5, 1e20, -1e9]);
      return { label: `${kind} ${v}`, method: "POST", path, body: JSON.stringify(setAt(valid, ["rent", "amountCents"], v)), headers: json };
    }
    case "missing":
      if (t.emptyBodyValid) return generate(random, ids);
      return { label: `${kind} ${leaf.join(".")}`, method: "POST", path, body: JSON.stringify(setAt(valid, leaf, undefined, true)), headers: json };
    case "extra": {
      const at = random() < 0.5 ? [] : leaf.slice(0, -1);
      return { label: `${kind} at ${at.join(".") || "(root)"}`, method: "POST", path, body: JSON.stringify(setAt(valid, [...at, pick(["isAdmin", "tenantId", "__proto__x", "version", "id"])], 1)), headers: json };
    }
    case "invalid-json": {
      const s = JSON.stringify(valid);
      const broken = pick([s.slice(0, Math.max(1, Math.floor(s.length * random()))), `${s},`, s.replace(/"/g, "'"), `{${s}`, "NaN", "{\"a\":}", "\u0000", `${s}${s}`]);
      return { label: kind, method: "POST", path, body: broken, headers: json };
    }
    case "content-type":
      return { label: kind, method: "POST", path, body: JSON.stringify(valid), headers: { "content-type": pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/json; charset=latin1"]) } };
    case "oversize":
      return { label: kind, method: "POST", path, body: JSON.stringify({ ...valid, pad: "x".repeat(17_000 + Math.floor(random() * 1_000_000)) }), headers: json };
    case "bad-path": {
      if (!/[0-9a-f]{8}-/.test(path)) return generate(random, ids);
      const bad = pick(["not-a-uuid", "00000000-0000-4000-8000-00000000000G", ids.propertyId.toUpperCase(), "..", "%00", "x".repeat(400)]);
      return { label: `${kind} ${bad.slice(0, 12)}`, method: "POST", path: path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, bad), body: JSON.stringify(valid), headers: json };
    }
    case "bad-key":
      return { label: kind, method: "POST", path, body: JSON.stringify(valid), headers: { ...json, "idempotency-key": pick(["", "a b", "x".repeat(200), "k\u00e9y", "k;drop"]) } };
    case "not-object":
      return { label: kind, method: "POST", path, body: pick(["[]", "1", "\"text\"", "null", "true", "[{}]"]), headers: json };
    case "bad-date": {
      if (!("moveIn" in valid || "period" in valid || "terminatedOn" in valid)) return generate(random, ids);
      const d = pick(["2027-02-30", "tomorrow", "2027-13-01", "1800-01-01", "2027-1-1", "2027-01-01T00:00:00Z"]);
      const body = "moveIn" in valid ? setAt(valid, ["moveIn"], d) : "terminatedOn" in valid ? setAt(valid, ["terminatedOn"], d) : random() < 0.5 ? setAt(valid, ["period", "start"], d) : setAt(valid, ["period"], { start: "2028-01-01", end: "2027-01-01" });
      return { label: `${kind} ${d}`, method: "POST", path, body: JSON.stringify(body), headers: json };
    }
  }
}

describe("fuzz (portable-local)", () => {
  const id = runId();
  const dir = mkdtempSync(join(tmpdir(), "hexproperty-fuzz-"));
  const ns = `t${id}`;
  const procs: Record<string, ServiceProcess> = {};
  let token: string;
  let pg: Client;
  let ids: Ids;
  let manifest: RuntimeManifest;

  const snapshot = async () => {
    const out: Record<string, unknown> = {};
    for (const service of ["property", "leasing"]) {
      const schema = `${ns}_${service}`;
      const exists = await pg.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [schema]);
      if (!exists.rowCount) {
        out[service] = "no schema";
        continue;
      }
      const a = await pg.query(`SELECT type, id, version, state::text AS state FROM ${schema}.hp_aggregates ORDER BY type, id`);
      const o = await pg.query(`SELECT count(*)::int AS n FROM ${schema}.hp_outbox`);
      out[service] = { aggregates: a.rows, outbox: o.rows[0].n };
    }
    return out;
  };

  beforeAll(async () => {
    manifest = isolatedManifest("portable-local", id, dir);
    if (manifest.writeStore.kind !== "postgres") throw new Error("portable-local manifest: writeStore is not postgres");
    const manifestFile = join(dir, "manifest.json");
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const env = { HEXPROPERTY_MANIFEST_FILE: manifestFile, HEXPROPERTY_NAMESPACE: ns };
    for (const name of ["property", "leasing", "search"]) procs[name] = new ServiceProcess(name, env);
    await Promise.all(Object.values(procs).map((p) => p.start()));
    token = DevIssuer.ensure(manifest.auth, ROOT).token({ tenant: `f${id}` });
    pg = new Client({ host: manifest.writeStore.host, port: manifest.writeStore.port, database: manifest.writeStore.database, user: manifest.writeStore.user });
    await pg.connect();
    const p = await call(procs.property!.url, "POST", "/properties", { token, body: targets[0]!.body!() });
    const u = await call(procs.property!.url, "POST", `/properties/${p.body.propertyId}/units`, { token, body: targets[1]!.body!() });
    await call(procs.property!.url, "POST", `/properties/${p.body.propertyId}/units/${u.body.unitId}/list`, { token });
    ids = { propertyId: p.body.propertyId, unitId: u.body.unitId };
  }, 120_000);

  afterAll(async () => {
    await pg?.end();
    await Promise.all(Object.values(procs).map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
    if (manifest) await dropRunData(manifest, ns);
  }, 120_000);

  test("given 1,000 generated bad requests, when sent, then every answer is a 4xx problem and nothing is stored", async () => {
    const seed = Number(process.env.HEXPROPERTY_FUZZ_SEED ?? Date.now() % 1_000_000);
    const random = rng(seed);
    const before = await snapshot();
    const cases = Array.from({ length: REQUESTS }, () => generate(random, ids));
    const target = (c: Case) => (c.path.startsWith("/search") ? procs.search! : c.path.startsWith("/units") ? procs.leasing! : procs.property!);
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < cases.length; i = next++) {
          const c = cases[i]!;
          let status: number;
          let text = "";
          try {
            const r = await fetch(target(c).url + c.path, { method: c.method, headers: { ...c.headers, authorization: `Bearer ${token}` }, ...(c.body !== undefined ? { body: c.body } : {}), signal: AbortSignal.timeout(30_000) });
            status = r.status;
            text = await r.text();
            if (!(r.headers.get("content-type") ?? "").startsWith("application/problem+json")) failures.push(`#${i} ${c.label}: ${status} is not problem+json`);
          } catch (e) {
            status = 0;
            text = String(e);
          }
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status < 400 || status >= 500) failures.push(`#${i} ${c.label} ${c.method} ${c.path.slice(0, 80)}: ${status} ${text.slice(0, 200)}`);
        }
      }),
    );
    expect({ seed, failures: failures.slice(0, 40) }).toEqual({ seed, failures: [] });
    expect(await snapshot()).toEqual(before);
    process.stdout.write(`fuzz: ${REQUESTS} bad requests (seed ${seed}): ${JSON.stringify(statuses)}; 0 answers 5xx or 2xx; stores unchanged\n`);
  }, 300_000);
});
