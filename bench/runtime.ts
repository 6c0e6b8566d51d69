/**
 * Runtime adapter overhead, measured side by side in one run against the
 * local backends (npm run backends:up):
 *  - Kafka: publish + consume N events through the KafkaEventBus vs raw kafkajs;
 *  - PostgreSQL: M aggregate saves (a state row + an outbox row in one
 *    transaction) through the PostgreSQL WriteStore vs raw pg.
 * Runs alternate baseline, adapter, baseline, adapter (after warm-up runs of
 * each); prints events/s and the ratio adapter/raw (goal >= 0.9).
 * Both sides publish WINDOW events at a time: raw kafkajs as one send of
 * WINDOW messages, the adapter as WINDOW concurrent publish() calls (which it
 * coalesces per topic). Both sides save with PG_CONCURRENCY connections.
 * Env: BENCH_KAFKA_EVENTS (default 20000), BENCH_PG_SAVES (default 2000), BENCH_ROUNDS (default 5),
 * BENCH_WARMUP (default 2: warm-up runs of each side, not counted; the JIT and the broker need them),
 * BENCH_RAW_IDEMPOTENT (default 1: the raw kafkajs producer is idempotent like the adapter's, so the ratio
 * measures the adapter; 0: a plain raw producer, so the ratio also includes the cost of idempotence).
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Kafka as KafkaClient } from "kafkajs";
import type { Pool } from "pg";
import { createKafkaEventBus } from "@hexproperty/runtime/adapters/kafka";
import { createPgPool, createPostgresWriteStore, postgresSettings } from "@hexproperty/runtime/adapters/postgres";
import { writeStoreDdl } from "@hexproperty/runtime/topology";
import { readManifestFrom } from "@hexproperty/runtime/manifest";
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";

const KAFKA_EVENTS = Number(process.env.BENCH_KAFKA_EVENTS ?? 20000);
const PG_SAVES = Number(process.env.BENCH_PG_SAVES ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const WINDOW = 100; // publishes / saves in flight at once, the same for both sides
const PG_CONCURRENCY = 8;
const RAW_IDEMPOTENT = (process.env.BENCH_RAW_IDEMPOTENT ?? "1") !== "0";

const run = () => randomBytes(4).toString("hex");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function manifest(): RuntimeManifest {
  const path = join(__dirname, "..", ".local", "manifests", "portable-local.json");
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run backends:up`);
  return readManifestFrom({ kind: "file", path, description: path });
}

async function windows<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

// ------------------------------------------------------------------ Kafka

type KafkaManifest = Extract<RuntimeManifest["eventBus"], { kind: "kafka" }>;

function payload(i: number) {
  return { unitId: `u-${i}`, propertyId: `p-${i % 50}`, rentCents: 100_000 + i, city: "Lyon" };
}

async function rawKafka(m: KafkaManifest): Promise<number> {
  const { Kafka, logLevel } = require("kafkajs") as typeof import("kafkajs");
  const kafka: KafkaClient = new Kafka({ clientId: m.clientId, brokers: [...m.brokers], logLevel: logLevel.NOTHING });
  const topic = `bench-raw-${run()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
  // the adapter's producer is idempotent (kafkajs: maxInFlightRequests 1); the baseline matches it unless BENCH_RAW_IDEMPOTENT=0
  const producer = kafka.producer({ allowAutoTopicCreation: false, ...(RAW_IDEMPOTENT ? { idempotent: true, maxInFlightRequests: 1 } : {}) });
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `${topic}-g`, sessionTimeout: 10_000, heartbeatInterval: 1000, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let received = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachMessage: async ({ message }) => {
      // the same work a consumer does with the adapter: parse the data, read id/type
      JSON.parse(message.value!.toString("utf8"));
      String(message.headers?.ce_id);
      if (++received === KAFKA_EVENTS) done();
    },
  });
  await joined;
  const ids = Array.from({ length: KAFKA_EVENTS }, (_, i) => i);
  const t0 = performance.now();
  // raw kafkajs at its best: each window of WINDOW events goes out as one send request
  for (let i = 0; i < ids.length; i += WINDOW) {
    await producer.send({
      topic,
      messages: ids.slice(i, i + WINDOW).map((n) => ({
        key: `p-${n % 50}`,
        value: JSON.stringify(payload(n)),
        headers: { ce_id: `e-${n}`, ce_type: "property.UnitListed", "content-type": "application/json" },
      })),
    });
  }
  await all;
  const seconds = (performance.now() - t0) / 1000;
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  return KAFKA_EVENTS / seconds;
}

async function adapterKafka(m: KafkaManifest): Promise<number> {
  const r = run();
  const bus = createKafkaEventBus({
    ...m,
    streams: { bench: { topic: `bench-adapter-${r}`, deadLetterTopic: `bench-adapter-${r}-dlq` } },
    subscriptions: { bench: { stream: "bench", subscription: `bench-adapter-${r}-g`, maxDeliveryAttempts: 5, ackDeadlineSeconds: 60 } },
  });
  await bus.ensureTopology();
  let received = 0;
  let done!: () => void;
  const all = new Promise<void>((res) => (done = res));
  const sub = await bus.subscribe("bench", async (d) => {
    if (++received === KAFKA_EVENTS) done();
    await d.ack();
  });
  const ids = Array.from({ length: KAFKA_EVENTS }, (_, i) => i);
  const t0 = performance.now();
  await windows(ids, WINDOW, (i) => bus.publish("bench", { id: `e-${i}`, type: "property.UnitListed", data: payload(i), orderingKey: `p-${i % 50}` }));
  await all;
  const seconds = (performance.now() - t0) / 1000;
  await sub.close();
  await bus.close();
  return KAFKA_EVENTS / seconds;
}

// ------------------------------------------------------------------ PostgreSQL

type PgManifest = Extract<RuntimeManifest["writeStore"], { kind: "postgres" }>;

async function rawPg(m: PgManifest): Promise<number> {
  const schema = `bench_raw_${run()}`;
  const pg: Pool = createPgPool(postgresSettings(m, { schema, maxConnections: PG_CONCURRENCY }));
  await pg.query(writeStoreDdl(schema));
  const ids = Array.from({ length: PG_SAVES }, (_, i) => i);
  const t0 = performance.now();
  await pool(ids, PG_CONCURRENCY, async (i) => {
    const c = await pg.connect();
    try {
      await c.query("BEGIN");
      await c.query(`INSERT INTO ${schema}.hp_aggregates (type, id, version, state) VALUES ($1, $2, 1, $3::jsonb)`, ["Unit", `u-${i}`, JSON.stringify(payload(i))]);
      await c.query(
        `INSERT INTO ${schema}.hp_outbox (event_id, aggregate_type, aggregate_id, stream, type, data, ordering_key, attributes) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::jsonb)`,
        [`e-${i}`, "Unit", `u-${i}`, "property", "property.UnitListed", JSON.stringify(payload(i)), `u-${i}`, "{}"],
      );
      await c.query("COMMIT");
    } catch (e) {
      await c.query("ROLLBACK");
      throw e;
    } finally {
      c.release();
    }
  });
  const seconds = (performance.now() - t0) / 1000;
  await pg.query(`DROP SCHEMA ${schema} CASCADE`);
  await pg.end();
  return PG_SAVES / seconds;
}

async function adapterPg(m: PgManifest): Promise<number> {
  const schema = `bench_adapter_${run()}`;
  const store = await createPostgresWriteStore(m, { schema, maxConnections: PG_CONCURRENCY });
  const ids = Array.from({ length: PG_SAVES }, (_, i) => i);
  const t0 = performance.now();
  await pool(ids, PG_CONCURRENCY, async (i) => {
    await store.save({
      type: "Unit",
      id: `u-${i}`,
      expectedVersion: 0,
      state: payload(i),
      events: [{ id: `e-${i}`, stream: "property", type: "property.UnitListed", data: payload(i), orderingKey: `u-${i}` }],
    });
  });
  const seconds = (performance.now() - t0) / 1000;
  await store.close();
  const pg = createPgPool(postgresSettings(m, { schema }));
  await pg.query(`DROP SCHEMA ${schema} CASCADE`);
  await pg.end();
  return PG_SAVES / seconds;
}

// ------------------------------------------------------------------ main

async function compare(label: string, unit: string, raw: () => Promise<number>, adapter: () => Promise<number>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) {
    // warm-up (JIT, connections, broker and page caches): not counted
    await raw();
    await adapter();
  }
  const r: number[] = [];
  const a: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    r.push(await raw());
    await sleep(200);
    a.push(await adapter());
    await sleep(200);
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const ratio = mean(a) / mean(r);
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(", ");
  console.log(`${label}`);
  console.log(`  raw      ${unit}: ${fmt(r)}  (mean ${mean(r).toFixed(0)})`);
  console.log(`  adapter  ${unit}: ${fmt(a)}  (mean ${mean(a).toFixed(0)})`);
  console.log(`  ratio adapter/raw: ${ratio.toFixed(2)} of the means (${(median(a) / median(r)).toFixed(2)} of the medians) ${ratio >= 0.9 ? "(goal >= 0.9 met)" : "(below the 0.9 goal)"}`);
  return ratio;
}

async function main() {
  const m = manifest();
  if (m.eventBus.kind !== "kafka" || m.writeStore.kind !== "postgres") throw new Error("portable-local manifest must have a kafka event bus and a postgres write store");
  const kafka = m.eventBus;
  const pg = m.writeStore;
  console.log(`runtime bench: ${KAFKA_EVENTS} Kafka events, ${PG_SAVES} PostgreSQL saves, ${ROUNDS} alternating rounds after ${WARMUP} warm-up rounds`);
  const k = await compare(`Kafka publish+consume (${KAFKA_EVENTS} events, ${WINDOW} in flight, 3 partitions)`, "events/s", () => rawKafka(kafka), () => adapterKafka(kafka));
  const p = await compare(`PostgreSQL save: state row + outbox row in one transaction (${PG_SAVES} saves, ${PG_CONCURRENCY} concurrent)`, "saves/s ", () => rawPg(pg), () => adapterPg(pg));
  console.log(`summary: kafka ratio ${k.toFixed(2)}, postgres ratio ${p.toFixed(2)}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
