/**
 * Fault test: the consuming process is killed with SIGKILL at random points 10
 * times while it consumes 5,000 events (Kafka: the shared local broker, a topic
 * and consumer group of this run only). After restart and drain the read model
 * is exact: every event applied once (count and checksum), every unit at its
 * last version, no stale (out-of-order) write.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createKafkaEventBus, type KafkaEventBus } from "../../src/adapters/kafka";
import { OutboxRelay } from "../../src/outbox/relay";
import { localManifest } from "../backends";
import { uniqueRunId } from "../conformance/util";
import { expectedChecksum, openStores, readModelReport, report, seedOutbox, sleep, waitUntil, type Stores } from "./support";

const UNITS = 100;
const VERSIONS = 50; // 5,000 events
const KILLS = 10;
const ROOT = join(__dirname, "..", "..", "..");

describe("fault: consumer killed with SIGKILL while consuming", () => {
  const run = uniqueRunId();
  const schema = `faults_consumer_${run}`;
  const topic = `faults-${run}-property`;
  let stores: Stores;
  let bus: KafkaEventBus | undefined;
  let child: ChildProcess | undefined;

  const eventBus = localManifest("portable-local").eventBus;
  if (eventBus.kind !== "kafka") throw new Error("portable-local manifest: eventBus.kind is not kafka");
  const kafka = eventBus;
  const broker = kafka.brokers[0]!;

  const startProjector = (): { proc: ChildProcess; exited: Promise<void> } => {
    const proc = spawn(process.execPath, ["-r", join(ROOT, "scripts", "ts-hook.js"), join(__dirname, "projector-process.ts")], {
      cwd: ROOT,
      env: { ...process.env, FAULTS_BROKER: broker, FAULTS_TOPIC: topic, FAULTS_GROUP: `faults-${run}-projector`, FAULTS_SCHEMA: schema },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child = proc;
    return { proc, exited: new Promise((r) => proc.once("exit", () => r())) };
  };

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await bus?.close().catch(() => undefined);
    await stores?.drop().catch(() => undefined);
  });

  it("keeps the read model exact across 10 kills", async () => {
    const t0 = Date.now();
    stores = await openStores(schema);
    bus = createKafkaEventBus({ ...kafka, streams: { property: { topic, deadLetterTopic: `${topic}-dlq` } }, subscriptions: {} }, { partitions: 3 });
    await bus.ensureTopology();
    await seedOutbox(stores, UNITS, VERSIONS);
    const relay = new OutboxRelay(stores.writeStore, bus, { batchSize: 500 });
    while ((await relay.runOnce()) > 0);
    expect(relay.publishedCount).toBe(UNITS * VERSIONS);

    const applied = async () => (await readModelReport(stores, schema, VERSIONS)).appliedEvents;
    const kills: { appliedAtKill: number }[] = [];
    for (let i = 0; i < KILLS; i++) {
      const { proc, exited } = startProjector();
      const before = await applied();
      // a random point: after 30..330 more events were applied (or 60 s, whichever first)
      const target = Math.min(UNITS * VERSIONS - 1, before + 30 + Math.floor(Math.random() * 300));
      await waitUntil(`projector progress to ${target}`, async () => (await applied()) >= target || proc.exitCode !== null, 60_000, 50).catch(() => undefined);
      proc.kill("SIGKILL");
      await exited;
      kills.push({ appliedAtKill: await applied() });
    }
    // the last run drains
    const { proc, exited } = startProjector();
    await waitUntil("read model complete", async () => (await applied()) >= UNITS * VERSIONS, 300_000, 500);
    await sleep(2000);
    proc.kill("SIGTERM");
    await exited;

    const rm = await readModelReport(stores, schema, VERSIONS);
    report("consumer-kill", {
      events: UNITS * VERSIONS,
      kills: kills.length,
      appliedAtEachKill: kills.map((k) => k.appliedAtKill),
      appliedEvents: rm.appliedEvents,
      checksum: rm.checksum,
      expectedChecksum: expectedChecksum(UNITS, VERSIONS),
      unitsAtFinalVersion: rm.unitsAtFinalVersion,
      staleEvents: rm.staleEvents,
      seconds: Math.round((Date.now() - t0) / 1000),
    });
    expect(kills).toHaveLength(KILLS);
    expect(rm.appliedEvents).toBe(UNITS * VERSIONS);
    expect(rm.checksum).toBe(expectedChecksum(UNITS, VERSIONS));
    expect(rm.unitsAtFinalVersion).toBe(UNITS);
    expect(rm.staleEvents).toBe(0);
  });
});
