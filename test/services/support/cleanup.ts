/**
 * Removes what one test run created on the shared local servers: its
 * write-store schemas, read-model tables, topics and subscriptions, cache
 * keys. Best effort and bounded (every client has a timeout and is closed):
 * a failure is reported, never fails the test; the names are run-unique, so
 * leftovers cannot disturb anyone, they only take space.
 */
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import { readModelTables } from "@hexproperty/runtime/topology";

const SERVICES = ["property", "leasing", "projector"];
const timeout = () => AbortSignal.timeout(15_000);

export async function dropRunData(m: RuntimeManifest, ns: string): Promise<void> {
  const jobs: [string, () => Promise<unknown>][] = [];
  const topics = Object.values(m.eventBus.streams).flatMap((s) => [s.topic, s.deadLetterTopic]);
  const subscriptions = Object.values(m.eventBus.subscriptions).map((s) => s.subscription);
  const w = m.writeStore;
  if (w.kind === "postgres") {
    jobs.push([
      "postgres schemas",
      async () => {
        const { Client } = require("pg") as typeof import("pg");
        const pg = new Client({ host: w.host, port: w.port, database: w.database, user: w.user, connectionTimeoutMillis: 5000, statement_timeout: 15_000 });
        await pg.connect();
        try {
          for (const schema of [ns, ...SERVICES.map((s) => `${ns}_${s}`)]) await pg.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await pg.end();
        }
      },
    ]);
  }
  const r = m.readStore;
  if (r.kind === "clickhouse") {
    jobs.push(["clickhouse tables", () => Promise.all(["units", "applied_events"].map((t) => fetch(`${r.url}/?user=${encodeURIComponent(r.user)}`, { method: "POST", body: `DROP TABLE IF EXISTS ${r.database}.${ns}_${t}`, signal: timeout() })))]);
  }
  if (r.kind === "spanner" && r.emulatorHost) {
    const rest = `http://${r.emulatorHost.replace(/:\d+$/, `:${Number(process.env.HEXPROPERTY_SPANNER_REST_PORT) || 59020}`)}`;
    const t = readModelTables(ns);
    const statements = [`DROP INDEX ${t.byCity}`, `DROP INDEX ${t.byProperty}`, `DROP TABLE ${t.units}`, `DROP TABLE ${t.applied}`];
    jobs.push(["spanner tables", () => fetch(`${rest}/v1/projects/${r.projectId}/instances/${r.instance}/databases/${r.database}/ddl`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ statements }), signal: timeout() })]);
  }
  const bus = m.eventBus;
  if (bus.kind === "kafka") {
    jobs.push([
      "kafka topics",
      async () => {
        const { Kafka, logLevel } = require("kafkajs") as typeof import("kafkajs");
        const admin = new Kafka({ clientId: "hexproperty-test-cleanup", brokers: [...bus.brokers], logLevel: logLevel.NOTHING, connectionTimeout: 5000, requestTimeout: 15_000, retry: { retries: 1 } }).admin();
        try {
          await admin.connect();
          await admin.deleteGroups(subscriptions).catch(() => undefined);
          await admin.deleteTopics({ topics, timeout: 10_000 });
        } finally {
          await admin.disconnect();
        }
      },
    ]);
  }
  if (bus.kind === "pubsub" && bus.emulatorHost) {
    const base = `http://${bus.emulatorHost}/v1/projects/${bus.projectId}`;
    const subs = [...subscriptions, ...topics.map((t) => `${t}-reader`)];
    jobs.push([
      "pubsub topics",
      async () => {
        await Promise.all(subs.map((s) => fetch(`${base}/subscriptions/${s}`, { method: "DELETE", signal: timeout() })));
        await Promise.all(topics.map((t) => fetch(`${base}/topics/${t}`, { method: "DELETE", signal: timeout() })));
      },
    ]);
  }
  const c = m.cache;
  if (c.kind === "redis") {
    jobs.push([
      "redis keys",
      async () => {
        const Redis = require("ioredis") as typeof import("ioredis").default;
        const redis = new Redis({ host: c.host, port: c.port, lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000, commandTimeout: 10_000, retryStrategy: () => null });
        try {
          await redis.connect();
          let cursor = "0";
          do {
            const [next, keys] = await redis.scan(cursor, "MATCH", `${c.keyPrefix}${ns}:*`, "COUNT", 1000);
            cursor = next;
            if (keys.length) await redis.del(...keys);
          } while (cursor !== "0");
        } finally {
          redis.disconnect();
        }
      },
    ]);
  }
  const results = await Promise.allSettled(jobs.map(([, run]) => run()));
  results.forEach((res, i) => {
    if (res.status === "rejected") process.stderr.write(`test cleanup ${ns}: ${jobs[i]![0]}: ${res.reason instanceof Error ? res.reason.message : String(res.reason)}\n`);
  });
}
