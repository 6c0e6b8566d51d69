/**
 * bench/http: the services' HTTP path, measured side by side in one run on
 * portable-local (each service its own process, real backends; needs
 * `npm run backends:up`) and on the embedded profile (one process). Prints
 * figures and ratios; asserts nothing (tests never assert on time).
 *
 * - cached search GET req/s vs a bare express handler returning the same
 *   JSON (its own process), alternating rounds, same client and concurrency;
 * - command POST (change rent) latency p50/p99 at a fixed 200 req/s (open loop);
 * - command → searchable: from sending a rent change until search (through
 *   the cache) shows it, p50/p99.
 *
 *   npm run bench:http [-- --profiles portable-local,embedded --seconds 3]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { call, ROOT, runId, startProfile, stopChild } from "../test/services/support/harness";
import { isolatedManifest } from "../test/services/support/harness";
import { ServiceProcess } from "../test/services/support/processes";
import { dropRunData } from "../test/services/support/cleanup";
import { DevIssuer } from "../services/platform/dev-issuer";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const PROFILES = opt("profiles", "portable-local,embedded").split(",");
const SECONDS = Number(opt("seconds", "3"));
const CONCURRENCY = 32;
const ROUNDS = 3;

interface Urls {
  property: string;
  search: string;
  token: string;
  stop(): Promise<void>;
}

async function startPortable(): Promise<Urls> {
  const id = runId();
  const dir = mkdtempSync(join(tmpdir(), "hexproperty-bench-"));
  const manifest = isolatedManifest("portable-local", id, dir);
  const manifestFile = join(dir, "manifest.json");
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const env = { HEXPROPERTY_MANIFEST_FILE: manifestFile, HEXPROPERTY_NAMESPACE: `t${id}` };
  const procs = ["projector", "property", "search"].map((n) => new ServiceProcess(n, env));
  await Promise.all(procs.map((p) => p.start()));
  return {
    property: procs[1]!.url,
    search: procs[2]!.url,
    token: DevIssuer.ensure(manifest.auth, ROOT).token({ tenant: `bench${id}` }),
    stop: async () => {
      await Promise.all(procs.map((p) => p.stop()));
      rmSync(dir, { recursive: true, force: true });
      await dropRunData(manifest, `t${id}`);
    },
  };
}

async function startEmbedded(): Promise<Urls> {
  const app = await startProfile("embedded");
  return { property: app.url, search: app.url, token: app.token(`bench${runId()}`), stop: () => app.stop() };
}

function startBaseline(body: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(__dirname, "http-baseline.js"), body], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => {
      const m = /listening on (\S+)/.exec(c.toString());
      if (m) resolve({ url: m[1]!, child });
    });
    child.once("exit", (code) => reject(new Error(`baseline exited ${code}`)));
  });
}

/** Closed-loop GETs with CONCURRENCY keep-alive connections for `seconds`; returns req/s. */
async function throughput(url: string, path: string, token: string, seconds: number): Promise<number> {
  const u = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const end = Date.now() + seconds * 1000;
  let n = 0;
  let errors = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = request({ host: u.hostname, port: u.port, path, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        if (res.statusCode !== 200) errors++;
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        await one();
        n++;
      }
    }),
  );
  agent.destroy();
  if (errors) throw new Error(`${errors} failed requests to ${url}${path}`);
  return n / seconds;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function benchProfile(profile: string): Promise<string[]> {
  const urls = profile === "embedded" ? await startEmbedded() : await startPortable();
  const lines: string[] = [];
  try {
    const city = `Bench ${runId()}`;
    const post = (path: string, body: unknown) => call(urls.property, "POST", path, { token: urls.token, body });
    // 100 properties with one listed unit each in one city (one aggregate per unit: no contention between commands)
    const units: { propertyId: string; unitId: string }[] = [];
    for (let p = 0; p < 100; p++) {
      const prop = await post("/properties", { name: `Bench ${p}`, address: { line1: "1 Bench St", city, postalCode: "1000", country: "PT" } });
      for (let u = 0; u < 1; u++) {
        const unit = await post(`/properties/${prop.body.propertyId}/units`, { label: `U${u}`, bedrooms: u % 4, size: { value: 50, unit: "sqm" }, rent: { amountCents: 100_000 + p * 10 + u, currency: "EUR" } });
        await post(`/properties/${prop.body.propertyId}/units/${unit.body.unitId}/list`, {});
        units.push({ propertyId: prop.body.propertyId, unitId: unit.body.unitId });
      }
    }
    const path = `/search/units?city=${encodeURIComponent(city)}&limit=20`;
    let first = await call(urls.search, "GET", path, { token: urls.token });
    for (let i = 0; i < 200 && first.body.items.length < 20; i++) {
      await new Promise((r) => setTimeout(r, 50));
      first = await call(urls.search, "GET", path, { token: urls.token });
    }
    const baseline = await startBaseline(first.text);
    try {
      const svc: number[] = [];
      const base: number[] = [];
      await throughput(urls.search, path, urls.token, 1); // warm-up
      await throughput(baseline.url, path, urls.token, 1);
      for (let r = 0; r < ROUNDS; r++) {
        base.push(await throughput(baseline.url, path, urls.token, SECONDS));
        svc.push(await throughput(urls.search, path, urls.token, SECONDS));
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      lines.push(`  cached search GET: ${mean(svc).toFixed(0)} req/s vs bare express ${mean(base).toFixed(0)} req/s -> ratio ${(mean(svc) / mean(base)).toFixed(2)}x (goal >= 0.5x; ${ROUNDS} alternating rounds of ${SECONDS} s, ${CONCURRENCY} connections)`);
    } finally {
      await stopChild(baseline.child, "SIGTERM");
    }

    // sequential commands first: the latency of one command on an idle service
    let rent = 200_000;
    const single: number[] = [];
    for (let i = 0; i < 100; i++) {
      const u = units[i % units.length]!;
      const s = performance.now();
      await post(`/properties/${u.propertyId}/units/${u.unitId}/rent`, { rent: { amountCents: (rent += 1), currency: "EUR" } });
      single.push(performance.now() - s);
    }
    lines.push(`  command POST one at a time: p50 ${ms(pct(single, 50))}, p99 ${ms(pct(single, 99))} over ${single.length} commands`);

    // command POST latency at a fixed 200 req/s (open loop: sends on schedule whatever the answers do)
    const latencies: number[] = [];
    let conflicts = 0;
    const lastApplied = { propertyId: "", unitId: "" };
    const total = 200 * Math.max(2, SECONDS);
    const inflight: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / 200;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const u = units[i % units.length]!;
      const body = { rent: { amountCents: (rent += 1), currency: "EUR" } };
      inflight.push(
        (async () => {
          const s = performance.now();
          const r = await post(`/properties/${u.propertyId}/units/${u.unitId}/rent`, body);
          if (r.status === 409) conflicts++;
          else if (r.status === 200) Object.assign(lastApplied, { propertyId: u.propertyId, unitId: u.unitId });
          else if (r.status !== 200) throw new Error(`command answered ${r.status}: ${r.text}`);
          latencies.push(performance.now() - s);
        })(),
      );
    }
    await Promise.all(inflight);
    lines.push(`  command POST at 200 req/s: p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))} over ${total} commands${conflicts ? `, ${conflicts} answered 409` : ""} (goal p99 <= 25 ms)`);

    // let the projector catch up with the burst above before timing single changes
    const searchable = async (unitId: string, target: number) => {
      const r = await call(urls.search, "GET", `/search/units?city=${encodeURIComponent(city)}&maxRentCents=${target}&limit=100`, { token: urls.token });
      return (r.body.items as { unitId: string; rent: { amountCents: number } }[]).some((x) => x.unitId === unitId && x.rent.amountCents === target);
    };
    // the write side says what the read model must show (commands on one aggregate may be applied in another order than sent)
    const stored = await call(urls.property, "GET", `/properties/${lastApplied.propertyId}`, { token: urls.token });
    const finalRent = (stored.body.units as { unitId: string; rent: { amountCents: number } }[]).find((x) => x.unitId === lastApplied.unitId)!.rent.amountCents;
    const caughtUp = performance.now();
    while (!(await searchable(lastApplied.unitId, finalRent))) {
      if (performance.now() - caughtUp > 120_000) {
        lines.push(`  the projector had not caught up with the ${total}-command burst 120 s after the last answer; command -> searchable not measured`);
        return lines;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    lines.push(`  (projector caught up with the ${total}-command burst ${ms(performance.now() - caughtUp)} after the last answer)`);

    // command -> searchable through the cache
    const visible: number[] = [];
    for (let i = 0; i < 100; i++) {
      const u = units[i % units.length]!;
      const target = (rent += 1);
      const s = performance.now();
      await post(`/properties/${u.propertyId}/units/${u.unitId}/rent`, { rent: { amountCents: target, currency: "EUR" } });
      for (;;) {
        if (await searchable(u.unitId, target)) break;
        if (performance.now() - s > 10_000) throw new Error("a change did not become searchable within 10 s");
        await new Promise((r2) => setTimeout(r2, 1));
      }
      visible.push(performance.now() - s);
    }
    lines.push(`  command -> searchable (through the cache): p50 ${ms(pct(visible, 50))}, p99 ${ms(pct(visible, 99))} over ${visible.length} changes (goal p99 <= 50 ms)`);
  } finally {
    await urls.stop();
  }
  return lines;
}

(async () => {
  process.stdout.write(`bench/http on ${require("node:os").cpus().length} cores (load average ${require("node:os").loadavg()[0].toFixed(1)})\n`);
  for (const p of PROFILES) {
    const lines = await benchProfile(p);
    process.stdout.write(`${p}${p === "embedded" ? " (one process: PGlite, in-process bus and cache)" : " (each service its own process: PostgreSQL, Kafka, ClickHouse, Redis)"}\n${lines.join("\n")}\n`);
  }
})().catch((e) => {
  process.stderr.write(`bench/http failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
