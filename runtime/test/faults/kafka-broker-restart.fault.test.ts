/**
 * Fault test: the Kafka broker restarts mid-stream (SIGTERM once, SIGKILL
 * once) while 10,000 events go through the outbox relay into a PRIVATE Kafka;
 * a projector with dedupe consumes into the PostgreSQL read store. After the
 * drain every event is in the read store exactly once (count and checksum),
 * and per-key order held (no stale write).
 */
import { createKafkaEventBus, KAFKA_METRICS, type KafkaEventBus } from "../../src/adapters/kafka";
import { OutboxRelay } from "../../src/outbox/relay";
import { uniqueRunId } from "../conformance/util";
import { expectedChecksum, openStores, privateKafka, readModelReport, report, seedOutbox, sleep, topicRecords, waitUntil, projector, type PrivateBroker, type ProjectorResults, type Stores, bounded } from "./support";

/** A logger that keeps warnings and errors (one line each) in `into`. */
function recordingLogger(into: string[]) {
  const keep = (m: string, f?: Record<string, unknown>) => void into.push(`${m}${f ? ` ${JSON.stringify(f)}` : ""}`.slice(0, 400));
  return { log: () => undefined, debug: () => undefined, info: () => undefined, warn: keep, error: keep };
}

const UNITS = 200;
const VERSIONS = 50; // 10,000 events

describe("fault: Kafka broker restarted mid-stream", () => {
  const run = uniqueRunId();
  const schema = `faults_kafka_${run}`;
  let broker: PrivateBroker;
  let stores: Stores;
  let bus: KafkaEventBus | undefined;
  let relay: OutboxRelay | undefined;

  afterAll(async () => {
    await bounded(relay?.stop());
    await bounded(bus?.close());
    await bounded(broker?.destroy(), 60_000);
    await bounded(stores?.drop());
  });

  it("delivers every accepted event exactly once into the read store, in order per key", async () => {
    const t0 = Date.now();
    broker = await privateKafka();
    await broker.start();
    stores = await openStores(schema);
    const topic = `faults-${run}-property`;
    const clientWarnings: string[] = [];
    let producersReplaced = 0;
    const counter = (name: string) => void (name === KAFKA_METRICS.producerReplaced && producersReplaced++);
    bus = createKafkaEventBus(
      {
        kind: "kafka",
        brokers: [broker.address],
        clientId: `faults-${run}`,
        tls: false,
        streams: { property: { topic, deadLetterTopic: `${topic}-dlq` } },
        subscriptions: { projector: { stream: "property", subscription: `faults-${run}-projector`, maxDeliveryAttempts: 100, ackDeadlineSeconds: 30 } },
      },
      // the client's warnings are kept (the last few are reported if the test fails)
      { partitions: 3, producerRetries: 10, drainTimeoutMs: 5000, observer: { logger: recordingLogger(clientWarnings), counter } },
    );
    await bus.ensureTopology();
    const results: ProjectorResults = { applied: 0, duplicate: 0, stale: 0, deliveries: 0 };
    const sub = await bus.subscribe(
      "projector",
      projector(stores, schema, results),
    );
    const seeding = seedOutbox(stores, UNITS, VERSIONS);
    let failedRounds = 0;
    const relayWarnings: string[] = [];
    const countFailures = { ...recordingLogger(relayWarnings), warn: (m: string, f?: Record<string, unknown>) => void (failedRounds++, relayWarnings.push(`${m} ${JSON.stringify(f ?? {})}`)) };
    relay = new OutboxRelay(stores.writeStore, bus, { batchSize: 500, intervalMs: 50, maxAttempts: 1_000, logger: countFailures });
    relay.start();
    let degradedSeen = false;
    const watch = setInterval(() => {
      if (bus!.health().status === "degraded") degradedSeen = true;
    }, 100);
    const outages: { signal: string; publishedAtStop: number; downMs: number }[] = [];
    const outage = async (signal: NodeJS.Signals, atPublished: number) => {
      await waitUntil(`${atPublished} events published`, () => relay!.publishedCount >= atPublished, 240_000);
      const publishedAtStop = relay!.publishedCount;
      const down = Date.now();
      await broker.stop(signal);
      await sleep(4000);
      await broker.start();
      outages.push({ signal, publishedAtStop, downMs: Date.now() - down });
    };
    try {
      await outage("SIGTERM", 2_500);
      await outage("SIGKILL", 6_000);
      await seeding;
      await waitUntil(
        "outbox drained and read store complete",
        async () => {
          const rm = await readModelReport(stores, schema, VERSIONS);
          return rm.appliedEvents >= UNITS * VERSIONS && rm.pendingOutbox === 0;
        },
        300_000,
        1000,
      );
      await sleep(3000); // anything late would show up now
    } catch (e) {
      // what the bus and the relay said last: the first thing to read when this fails
      report("kafka-broker-restart FAILED", { error: String(e), published: relay.publishedCount, outages, producersReplaced, health: bus.health(), lastRelayWarnings: relayWarnings.slice(-3), lastClientWarnings: clientWarnings.slice(-8) });
      throw e;
    } finally {
      clearInterval(watch);
      await relay.stop();
      await sub.close();
    }
    const rm = await readModelReport(stores, schema, VERSIONS);
    const records = await topicRecords(broker.address, topic);
    report("kafka-broker-restart", {
      events: UNITS * VERSIONS,
      appliedEvents: rm.appliedEvents,
      checksum: rm.checksum,
      expectedChecksum: expectedChecksum(UNITS, VERSIONS),
      unitsAtFinalVersion: rm.unitsAtFinalVersion,
      staleEvents: rm.staleEvents,
      deliveries: results.deliveries,
      duplicatesDroppedByReadStore: results.duplicate,
      recordsInTopic: records,
      relayPublished: relay.publishedCount,
      relayFailedRounds: failedRounds,
      outages,
      degradedSeen,
      // the broker rejected the idempotent producer's state (e.g. out of order sequence number after the restart): replaced
      producersReplaced,
      seconds: Math.round((Date.now() - t0) / 1000),
    });
    expect(rm.appliedEvents).toBe(UNITS * VERSIONS);
    expect(rm.checksum).toBe(expectedChecksum(UNITS, VERSIONS));
    expect(rm.unitsAtFinalVersion).toBe(UNITS);
    expect(rm.staleEvents).toBe(0);
    expect(rm.pendingOutbox).toBe(0);
    expect(degradedSeen).toBe(true);
  });
});
