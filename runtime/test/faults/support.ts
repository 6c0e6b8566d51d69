/**
 * Support for the fault tests: PRIVATE broker/emulator processes (own ports,
 * own temp data folders, own process groups; the shared backends are never
 * touched), the workload (unit events through the outbox) and the checks of
 * the read model (count, checksum, per-key order).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { createPgPool, pgClient, postgresSettings } from "../../src/adapters/postgres";
import { PgliteReadStore, readStoreDdl } from "../../src/adapters/pglite/readstore";
import { SqlWriteStore, writeStoreDdl } from "../../src/adapters/sql/writestore";
import type { WriteStoreManifest } from "../../src/manifest/schema";
import { dedupeHandler } from "../../src/outbox/dedupe";
import type { DeliveryHandler, UnitView } from "../../src/ports";
import { localManifest } from "../backends";
import { sleep, waitFor } from "../conformance/util";
import { freePort } from "../support/private-postgres";

const ROOT = join(__dirname, "..", "..", "..");
export { sleep };

/** waitFor of the conformance suites, polling every 200 ms by default (fault tests wait long). */
export const waitUntil = (what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<void> => waitFor(what, check, timeoutMs, everyMs);

/** Waits for `p` at most `ms` (cleanup must never hang a fault test). */
export async function bounded(p: Promise<unknown> | undefined, ms = 20_000): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  await Promise.race([Promise.resolve(p).catch(() => undefined), new Promise((r) => (t = setTimeout(r, ms)))]);
  clearTimeout(t);
}

// ------------------------------------------------------------ processes

/** Private processes still running when this process exits are killed (their whole group). */
const alive = new Set<number>();
process.once("exit", () => {
  for (const pid of alive) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
});

/** A process started in its own process group, so the group can be signalled. */
class GroupProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  constructor(
    private readonly cmd: string,
    private readonly args: () => string[],
    private readonly logFile: string,
  ) {}
  start(): void {
    const out = openSync(this.logFile, "a");
    try {
      this.child = spawn(this.cmd, this.args(), { detached: true, stdio: ["ignore", out, out] });
    } finally {
      closeSync(out); // the child has its own copy
    }
    const c = this.child;
    alive.add(c.pid!);
    this.exited = new Promise((r) =>
      c.once("exit", () => {
        alive.delete(c.pid!);
        r();
      }),
    );
  }
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }
  /** Signals the whole group and waits for the process to exit (SIGKILL after 30 s). */
  async stop(signal: NodeJS.Signals): Promise<void> {
    const c = this.child;
    if (!c || !this.running) return;
    try {
      process.kill(-c.pid!, signal);
    } catch {
      /* already gone */
    }
    const t = setTimeout(() => {
      try {
        process.kill(-c.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }, 30_000);
    await this.exited;
    clearTimeout(t);
  }
}

export interface PrivateBroker {
  readonly address: string;
  start(): Promise<void>;
  stop(signal: NodeJS.Signals): Promise<void>;
  /** Stops and removes the data folder. */
  destroy(): Promise<void>;
}

/** A private single-node Kafka (KRaft), from the jars scripts/backends.sh fetched, in a temp folder. */
export async function privateKafka(): Promise<PrivateBroker> {
  const state = join(ROOT, ".local", "backends", "kafka");
  const cpFile = readdirSync(state)
    .filter((f) => /^classpath-.*\.txt$/.test(f))
    .map((f) => join(state, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!cpFile) throw new Error("no Kafka classpath under .local/backends/kafka: run npm run backends:up once");
  const dir = mkdtempSync(join(tmpdir(), "hp-faults-kafka-"));
  const [port, controller] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir, "server.properties"),
    [
      "process.roles=broker,controller",
      "node.id=1",
      `controller.quorum.voters=1@127.0.0.1:${controller}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      "controller.listener.names=CONTROLLER",
      "inter.broker.listener.name=PLAINTEXT",
      "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
      `log.dirs=${join(dir, "data")}`,
      "num.partitions=1",
      "default.replication.factor=1",
      "auto.create.topics.enable=false",
      "offsets.topic.replication.factor=1",
      "offsets.topic.num.partitions=1",
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1",
      "transaction.state.log.num.partitions=1",
      "share.coordinator.state.topic.replication.factor=1",
      "share.coordinator.state.topic.min.isr=1",
      "group.initial.rebalance.delay.ms=0",
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "log4j2.properties"), ["status = warn", "rootLogger.level = warn", "appender.console.type = Console", "appender.console.name = OUT", "appender.console.layout.type = PatternLayout", "appender.console.layout.pattern = [%d] %p %m (%c)%n", "rootLogger.appenderRef.out.ref = OUT", ""].join("\n"));
  const java = ["-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true", `-Dlog4j2.configurationFile=${join(dir, "log4j2.properties")}`, "-cp", readFileSync(cpFile, "utf8").trim()];
  execFileSync("java", [...java, "kafka.tools.StorageTool", "format", "--cluster-id", "SGV4UHJvcGVydHlGYXVsdA", "--config", join(dir, "server.properties")], { stdio: "pipe" });
  const proc = new GroupProcess("java", () => [...java, "kafka.Kafka", join(dir, "server.properties")], join(dir, "broker.log"));
  const address = `127.0.0.1:${port}`;
  const ready = async () => {
    const admin = new Kafka({ clientId: "faults-ready", brokers: [address], logLevel: logLevel.NOTHING, connectionTimeout: 2000, requestTimeout: 4000, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      const c = await admin.describeCluster();
      return c.brokers.length > 0;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };
  return {
    address,
    start: async () => {
      proc.start();
      await waitUntil(`private kafka on ${address}`, ready, 120_000, 500);
    },
    stop: (signal) => proc.stop(signal),
    destroy: async () => {
      await proc.stop("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A private Pub/Sub emulator (the gcloud SDK's jar) on a free port. It keeps its state in memory. */
export async function privatePubSub(): Promise<PrivateBroker> {
  const sdk = process.env.HEXPROPERTY_GCLOUD_SDK ?? "/usr/lib/google-cloud-sdk";
  const lib = join(sdk, "platform", "pubsub-emulator", "lib");
  const jar = readdirSync(lib).find((f) => /^cloud-pubsub-emulator-.*-all\.jar$/.test(f));
  if (!jar) throw new Error(`no Pub/Sub emulator jar in ${lib}`);
  const dir = mkdtempSync(join(tmpdir(), "hp-faults-pubsub-"));
  const port = await freePort();
  const proc = new GroupProcess("java", () => ["-Xmx384m", "-jar", join(lib, jar), "--host=127.0.0.1", `--port=${port}`], join(dir, "emulator.log"));
  const address = `127.0.0.1:${port}`;
  const ready = async () => {
    try {
      const r = await fetch(`http://${address}/`, { signal: AbortSignal.timeout(2000) });
      return (await r.text()).trim() === "Ok";
    } catch {
      return false;
    }
  };
  return {
    address,
    start: async () => {
      proc.start();
      await waitUntil(`private pubsub emulator on ${address}`, ready, 120_000, 500);
    },
    stop: (signal) => proc.stop(signal),
    destroy: async () => {
      await proc.stop("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------ stores

/** The shared PostgreSQL of portable-local, in a schema of our own (dropped by drop()). */
export function postgresManifest(): Extract<WriteStoreManifest, { kind: "postgres" }> {
  const m = localManifest("portable-local").writeStore;
  if (m.kind !== "postgres") throw new Error("portable-local manifest: writeStore is not postgres");
  return m;
}

export interface Stores {
  readonly writeStore: SqlWriteStore;
  /** The ReadStore's SQL (the PGlite adapter's, Postgres dialect) on the real PostgreSQL. */
  readonly readStore: PgliteReadStore;
  query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
  drop(): Promise<void>;
}

export async function openStores(schema: string, maxConnections = 8): Promise<Stores> {
  const settings = postgresSettings(postgresManifest(), { schema, maxConnections });
  const pool = createPgPool(settings);
  const client = pgClient(pool);
  await client.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('hexproperty-faults-ddl'))");
    await tx.query(writeStoreDdl(schema));
    await tx.query(readStoreDdl(schema));
    await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.fault_stale (event_id text PRIMARY KEY)`);
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await pool.end();
  };
  return {
    writeStore: new SqlWriteStore("postgres", client, schema, async () => undefined),
    readStore: new PgliteReadStore(client, schema, async () => undefined),
    query: (sql, params = []) => client.query(sql, params),
    close,
    drop: async () => {
      await client.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await close();
    },
  };
}

// ------------------------------------------------------------ workload

export const eventId = (unit: number, version: number) => `u${unit}-v${version}`;

export function unitView(unit: number, version: number): UnitView {
  return {
    unitId: `u${unit}`,
    propertyId: `p${unit % 17}`,
    city: "Lisbon",
    bedrooms: 1 + (unit % 4),
    rentCents: 100_000 + version,
    currency: "EUR",
    status: "available",
    version,
    updatedAt: new Date(0).toISOString(),
  };
}

/** Saves `units` x `versions` unit events (one event per save, in version order per unit) into the outbox. */
export async function seedOutbox(stores: Stores, units: number, versions: number, stream = "property", parallel = 8): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let u = next++; u < units; u = next++) {
      for (let v = 1; v <= versions; v++) {
        const view = unitView(u, v);
        await stores.writeStore.save({
          type: "Unit",
          id: view.unitId,
          expectedVersion: v - 1,
          state: { version: v },
          events: [{ id: eventId(u, v), stream, type: "property.UnitChanged", orderingKey: view.unitId, data: view as unknown as Record<string, string> }],
        });
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

export function expectedChecksum(units: number, versions: number): string {
  const ids: string[] = [];
  for (let u = 0; u < units; u++) for (let v = 1; v <= versions; v++) ids.push(eventId(u, v));
  ids.sort();
  return createHash("md5").update(ids.join(",")).digest("hex");
}

export interface ReadModelReport {
  readonly appliedEvents: number;
  readonly checksum: string;
  readonly unitsAtFinalVersion: number;
  readonly staleEvents: number;
  readonly pendingOutbox: number;
}

export async function readModelReport(stores: Stores, schema: string, versions: number): Promise<ReadModelReport> {
  const [a] = await stores.query<{ n: string; md5: string | null }>(`SELECT count(*) AS n, md5(string_agg(event_id, ',' ORDER BY event_id COLLATE "C")) AS md5 FROM ${schema}.hp_applied_events`);
  const [u] = await stores.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.hp_units WHERE version = $1`, [versions]);
  const [s] = await stores.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.fault_stale`);
  const [p] = await stores.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.hp_outbox WHERE sent_at IS NULL`);
  return { appliedEvents: Number(a!.n), checksum: a!.md5 ?? "", unitsAtFinalVersion: Number(u!.n), staleEvents: Number(s!.n), pendingOutbox: Number(p!.n) };
}

/** Records of a topic (sum of partition high watermarks): more than the events means copies were written. */
export async function topicRecords(broker: string, topic: string): Promise<number> {
  const admin = new Kafka({ clientId: "faults-count", brokers: [broker], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

export function report(name: string, fields: Record<string, unknown>): void {
  const line = `FAULTS ${name}: ${JSON.stringify(fields)}`;
  process.stdout.write(`${line}\n`);
  const dir = join(ROOT, ".local", "faults");
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, "results.log"), `${new Date().toISOString()} ${line}\n`);
}

export interface ProjectorResults {
  applied: number;
  duplicate: number;
  stale: number;
  deliveries: number;
}

/**
 * The projector of the fault tests: dedupe in memory, then the read store's
 * idempotent upsert (its applied-events table is the durable dedupe); a stale
 * write (an older version after a newer one: per-key order broken) is recorded.
 */
export function projector(stores: Stores, schema: string, results: ProjectorResults = { applied: 0, duplicate: 0, stale: 0, deliveries: 0 }): DeliveryHandler {
  return dedupeHandler(async (d) => {
    results.deliveries++;
    const r = await stores.readStore.upsertUnit(d.message.data as unknown as UnitView, d.message.id);
    results[r]++;
    if (r === "stale") await stores.query(`INSERT INTO ${schema}.fault_stale VALUES ($1) ON CONFLICT DO NOTHING`, [d.message.id]);
  });
}
