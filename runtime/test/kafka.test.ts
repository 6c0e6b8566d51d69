/**
 * Kafka adapter behaviour beyond the conformance suite, against the local
 * broker (npm run backends:up).
 */
import { Kafka, KafkaJSNonRetriableError, KafkaJSProtocolError, logLevel, type KafkaMessage, type Producer } from "kafkajs";
import { createKafkaEventBus, fromKafkaMessage, KAFKA_METRICS } from "../src/adapters/kafka";
import { dedupeHandler } from "../src/outbox/dedupe";
import type { LogLevel } from "../src/ports";
import { localManifest } from "./backends";
import { uniqueRunId, waitFor } from "./conformance/util";

/** What kafkajs' idempotent producer rejects every send with once the broker refused its sequence numbers (kafkajs issue 598). */
function outOfOrderSequence(): Error {
  const brokerError = new KafkaJSProtocolError({ type: "OUT_OF_ORDER_SEQUENCE_NUMBER", code: 45, retriable: false, message: "The broker received an out of order sequence number" } as never);
  return Object.assign(new KafkaJSNonRetriableError(brokerError), { cause: brokerError });
}

const manifest = localManifest("portable-local");
if (manifest.eventBus.kind !== "kafka") throw new Error("portable-local manifest: eventBus.kind is not kafka");
const base = manifest.eventBus;

describe("kafka event bus", () => {
  it("gives messages without ce_id ids unique per topic, partition and offset (defect 4)", () => {
    const m = (offset: string): KafkaMessage => ({ key: null, value: Buffer.from("1"), headers: {}, offset, timestamp: "0", attributes: 0, size: 0 }) as unknown as KafkaMessage;
    const a = fromKafkaMessage("s", m("0"), { topic: "t", partition: 0 });
    const b = fromKafkaMessage("s", m("0"), { topic: "t", partition: 1 });
    expect(a.id).not.toBe(b.id);
  });

  it("a deduplicating consumer handles foreign messages (no ce_id) at the same offset of two partitions both (defect 4)", async () => {
    // Given a 2-partition topic with one message without ce_id at offset 0 of each partition
    const run = uniqueRunId();
    const topic = `kafka-ids-${run}`;
    const raw = new Kafka({ clientId: "test", brokers: [...base.brokers], logLevel: logLevel.NOTHING });
    const admin = raw.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }, { topic: `${topic}-dlq`, numPartitions: 1 }] });
    const producer = raw.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ partition: 0, value: JSON.stringify({ n: 0 }) }, { partition: 1, value: JSON.stringify({ n: 1 }) }] });
    await producer.disconnect();
    await admin.disconnect();
    const bus = createKafkaEventBus({
      ...base,
      streams: { s: { topic, deadLetterTopic: `${topic}-dlq` } },
      subscriptions: { s: { stream: "s", subscription: `kafka-ids-${run}`, maxDeliveryAttempts: 5, ackDeadlineSeconds: 10 } },
    });
    try {
      // When a consumer with dedupe reads them
      const handled: unknown[] = [];
      const h = await bus.subscribe("s", dedupeHandler(async (d) => void handled.push(d.message.data)));
      // Then both are handled
      await waitFor("both messages handled", () => handled.length >= 2, 30_000);
      expect(handled).toHaveLength(2);
      await h.close();
    } finally {
      await bus.close();
    }
  });

  it("reports a failing producer: publish fails, health() is degraded, ping() fails, logs and counts it (defect 9)", async () => {
    // Given a bus whose broker does not answer
    const logs: { level: LogLevel; message: string }[] = [];
    const counted: string[] = [];
    const logger = {
      log: (level: LogLevel, message: string) => void logs.push({ level, message }),
      debug: (m: string) => logger.log("debug", m),
      info: (m: string) => logger.log("info", m),
      warn: (m: string) => logger.log("warn", m),
      error: (m: string) => logger.log("error", m),
    };
    const bus = createKafkaEventBus(
      { ...base, brokers: ["127.0.0.1:1"], streams: { s: { topic: "nowhere", deadLetterTopic: "nowhere-dlq" } }, subscriptions: {} },
      { producerRetries: 1, observer: { logger, counter: (name) => void counted.push(name) } },
    );
    try {
      expect(bus.health()).toEqual({ status: "ok", problems: [] });
      // When a publish fails
      await expect(bus.publish("s", { id: "e1", type: "t", data: null })).rejects.toThrow();
      // Then the outage is visible: health, ping, a warning and a counter
      const health = bus.health();
      expect(health.status).toBe("degraded");
      expect(health.problems.join()).toMatch(/producer: publish failed/);
      await expect(bus.ping()).rejects.toThrow(/kafka/);
      expect(logs.some((l) => l.level === "warn" && /producer/.test(l.message))).toBe(true);
      expect(counted).toContain(KAFKA_METRICS.publishFailures);
    } finally {
      await bus.close();
    }
  });

  it("replaces an idempotent producer whose state the broker rejected: publishes go through again (seen after a broker restart)", async () => {
    // Given a bus that published, whose producer then fails every send with OUT_OF_ORDER_SEQUENCE_NUMBER
    // (what kafkajs' idempotent producer does for good once the broker refused its sequence numbers)
    const run = uniqueRunId();
    const topic = `kafka-seq-${run}`;
    const counted: string[] = [];
    const bus = createKafkaEventBus(
      { ...base, streams: { s: { topic, deadLetterTopic: `${topic}-dlq` } }, subscriptions: {} },
      { partitions: 1, observer: { counter: (name) => void counted.push(name) } },
    );
    try {
      await bus.ensureTopology();
      await bus.publish("s", { id: `${run}-1`, type: "t", data: 1 });
      const dead = (bus as unknown as { producer: Producer }).producer;
      dead.send = async () => {
        throw outOfOrderSequence();
      };
      // When a publish fails with it
      await expect(bus.publish("s", { id: `${run}-2`, type: "t", data: 2 })).rejects.toThrow(/out of order sequence number/);
      expect(bus.health().status).toBe("degraded");
      // Then the next publishes (the caller's retry) go through on a new producer, and the bus is healthy again
      await bus.publish("s", { id: `${run}-2`, type: "t", data: 2 });
      await bus.publish("s", { id: `${run}-3`, type: "t", data: 3 });
      expect((bus as unknown as { producer: Producer }).producer).not.toBe(dead);
      expect(counted).toContain(KAFKA_METRICS.producerReplaced);
      expect(bus.health()).toEqual({ status: "ok", problems: [] });
    } finally {
      await bus.close();
    }
  });
});
