/**
 * Removes what one test run created on the shared local servers: its
 * write-store schemas, read-model tables, topics and subscriptions, cache
 * keys. Best effort (a failure is reported, never fails the test): the names
 * are run-unique, so leftovers cannot disturb anyone, only take space.
 */
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import { readModelTables } from "@hexproperty/runtime/topology";

const SERVICES = ["property", "leasing", "projector"];

export async function dropRunData(m: RuntimeManifest, ns: string): Promise<void> {
  const jobs: Promise<unknown>[] = [];
  const topics = Object.values(m.eventBus.streams).flatMap((s) => [s.topic, s.deadLetterTopic]);
  const subscriptions = Object.values(m.eventBus.subscriptions).map((s) => s.subscription);
  if (m.writeStore.kind === "postgres") {
    const w = m.writeStore;
    jobs.push(
      (async () => {
        const { Client } = require("pg") as typeof import("pg");
        const pg = new Client({ host: w.host, port: w.port, database: w.database, user: w.user });
        await pg.connect();
        try {
          for (const schema of [ns, ...SERVICES.map((s) => `${ns}_${s}`)]) await pg.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await pg.end();
        }
      })(),
    );
  }
  if (m.readStore.kind === "clickhouse") {
    const r = m.readStore;
    for (const t of ["units", "applied_events"]) jobs.push(fetch(`${r.url}/?user=${encodeURIComponent(r.user)}`, { method: "POST", body: `DROP TABLE IF EXISTS ${r.database}.${ns}_${t}` }));
  }
  if (m.readStore.kind === "spanner" && m.readStore.emulatorHost) {
    const r = m.readStore;
    const rest = `http://${m.readStore.emulatorHost.replace(/:\d+$/, ":" + (Number(process.env.HEXPROPERTY_SPANNER_REST_PORT) || 59020))}`;
    const t = readModelTables(ns);
    jobs.push(
      fetch(`${rest}/v1/projects/${r.projectId}/instances/${r.instance}/databases/${r.database}/ddl`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ statements: [`DROP INDEX ${t.byCity}`, `DROP INDEX ${t.byProperty}`, `DROP TABLE ${t.units}`, `DROP TABLE ${t.applied}`] }),
      }),
    );
  }
  if (m.eventBus.kind === "kafka") {
    const brokers = m.eventBus.brokers;
    jobs.push(
      (async () => {
        const { Kafka, logLevel } = require("kafkajs") as typeof import("kafkajs");
        const admin = new Kafka({ clientId: "hexproperty-test-cleanup", brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        try {
          await admin.deleteGroups(subscriptions).catch(() => undefined);
          await admin.deleteTopics({ topics, timeout: 10_000 });
        } finally {
          await admin.disconnect();
        }
      })(),
    );
  }
  if (m.eventBus.kind === "pubsub" && m.eventBus.emulatorHost) {
    const base = `http://${m.eventBus.emulatorHost}/v1/projects/${m.eventBus.projectId}`;
    const subs = [...subscriptions, ...topics.map((t) => `${t}-reader`)];
    jobs.push(Promise.all(subs.map((s) => fetch(`${base}/subscriptions/${s}`, { method: "DELETE" }))).then(() => Promise.all(topics.map((t) => fetch(`${base}/topics/${t}`, { method: "DELETE" })))));
  }
  if (m.cache.kind === "redis") {
    const c = m.cache;
    jobs.push(
      (async () => {
        const Redis = require("ioredis") as typeof import("ioredis").default;
        const redis = new Redis({ host: c.host, port: c.port, lazyConnect: true, maxRetriesPerRequest: 1 });
        await redis.connect();
        try {
          let cursor = "0";
          do {
            const [next, keys] = await redis.scan(cursor, "MATCH", `${c.keyPrefix}${ns}:*`, "COUNT", 1000);
            cursor = next;
            if (keys.length) await redis.del(...keys);
          } while (cursor !== "0");
        } finally {
          redis.disconnect();
        }
      })(),
    );
  }
  const bounded = jobs.map((j) => Promise.race([j, new Promise((_, reject) => setTimeout(() => reject(new Error("gave up after 20 s")), 20_000).unref())]));
  const results = await Promise.allSettled(bounded);
  for (const r of results) if (r.status === "rejected") process.stderr.write(`test cleanup (${ns}): ${r.reason instanceof Error ? r.reason.message : String(r.reason)}\n`);
}
