/**
 * The outbox relay against the PGlite WriteStore and TEST DOUBLE buses (not
 * brokers): a bus that records publishes, optionally failing or delaying some.
 */
import { createPgliteWriteStore } from "../../src/adapters/pglite";
import { connect } from "../../src/connect";
import { OutboxRelay } from "../../src/outbox/relay";
import type { EventBus, LogLevel, OutgoingEvent, PendingEvent, WriteStore } from "../../src/ports";
import { embeddedManifest } from "../fixtures/manifests";

/** Test double of an EventBus: records what was published, in completion order. */
class TestDoubleBus implements EventBus {
  readonly kind = "test-double";
  readonly published: { stream: string; id: string }[] = [];
  constructor(private readonly behaviour: (stream: string, event: OutgoingEvent) => Promise<void> | void = () => undefined) {}
  async publish(stream: string, event: OutgoingEvent): Promise<void> {
    await this.behaviour(stream, event);
    this.published.push({ stream, id: event.id });
  }
  async subscribe(): Promise<never> {
    throw new Error("test double: no subscriptions");
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

const ev = (id: string, stream = "property"): PendingEvent => ({ id, stream, type: "t", data: { id } });

async function saveEvents(store: WriteStore, aggregate: string, ids: string[], stream = "property"): Promise<void> {
  let version = (await store.load("Agg", aggregate))?.version ?? 0;
  for (const id of ids) {
    await store.save({ type: "Agg", id: aggregate, expectedVersion: version, state: { last: id }, events: [ev(id, stream)] });
    version++;
  }
}

async function drain(relay: OutboxRelay, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) await relay.runOnce().catch(() => undefined);
}

function recordingLogger() {
  const lines: { level: LogLevel; message: string }[] = [];
  const log = (level: LogLevel, message: string) => void lines.push({ level, message });
  return { lines, logger: { log, debug: (m: string) => log("debug", m), info: (m: string) => log("info", m), warn: (m: string) => log("warn", m), error: (m: string) => log("error", m) } };
}

describe("outbox relay", () => {
  let store: WriteStore;
  let keepAlive: WriteStore; // holds the in-memory database open across tests; each test gets its own schema
  let n = 0;
  beforeAll(async () => {
    keepAlive = await createPgliteWriteStore({ kind: "pglite", dataDir: "memory://" });
  });
  afterAll(async () => {
    await keepAlive.close();
  });
  beforeEach(async () => {
    store = await createPgliteWriteStore({ kind: "pglite", dataDir: "memory://" }, { schema: `relay_${++n}` });
  });
  afterEach(async () => {
    await store.close();
  });

  it("parks an entry that keeps failing; the other aggregates flow, later events of its aggregate wait (defect 2)", async () => {
    // Given a poisoned entry of aggregate A followed by more of A's events than one round reads, and events of B
    await saveEvents(store, "A", ["a-poison"], "ghost");
    await saveEvents(store, "A", Array.from({ length: 120 }, (_, i) => `a-${i}`));
    await saveEvents(store, "B", ["b-1", "b-2", "b-3"]);
    const bus = new TestDoubleBus((stream) => {
      if (stream === "ghost") throw new Error('stream "ghost" is not in the manifest');
    });
    const { lines, logger } = recordingLogger();
    const counted: string[] = [];
    const relay = new OutboxRelay(store, bus, { batchSize: 100, maxAttempts: 3, logger, metrics: { counter: (name) => void counted.push(name) } });
    // When the relay runs a few rounds
    await drain(relay, 6);
    // Then B's events are published, A's wait behind the parked entry, which is reported and listed
    expect(bus.published.map((p) => p.id)).toEqual(["b-1", "b-2", "b-3"]);
    expect(relay.parkedEntries).toBe(1);
    expect(counted).toEqual(["outbox_parked"]);
    expect(lines.some((l) => l.level === "error" && /parked/.test(l.message))).toBe(true);
    const parked = await relay.parked();
    expect(parked.map((p) => p.event.id)).toEqual(["a-poison"]);
    expect(parked[0]!.reason).toMatch(/ghost/);
  });

  it("retryParked() returns a parked entry; once publishable, it and its aggregate's later events go out in order (defect 2)", async () => {
    let broken = true;
    await saveEvents(store, "A", ["a-1", "a-2", "a-3"]);
    const bus = new TestDoubleBus((_, e) => {
      if (broken && e.id === "a-1") throw new Error("bus rejects a-1");
    });
    const relay = new OutboxRelay(store, bus, { maxAttempts: 2 });
    await drain(relay, 3);
    expect((await relay.parked()).map((p) => p.event.id)).toEqual(["a-1"]);
    expect(bus.published).toEqual([]);
    // When the cause is fixed and the parked entry is retried
    broken = false;
    expect(await relay.retryParked()).toBe(1);
    await drain(relay, 2);
    // Then A's events are published in order and nothing is parked
    expect(bus.published.map((p) => p.id)).toEqual(["a-1", "a-2", "a-3"]);
    expect(await relay.parked()).toEqual([]);
  });

  it("save() through connect() rejects an event whose stream is not in the manifest, naming it and the known ones; nothing is written (defect 2)", async () => {
    const rt = await connect(embeddedManifest());
    try {
      await expect(rt.writeStore.save({ type: "Agg", id: "x", expectedVersion: 0, state: {}, events: [ev("e-1", "ghost")] })).rejects.toThrow(/stream "ghost".*known: property/);
      expect(await rt.writeStore.load("Agg", "x")).toBeUndefined();
      expect(await rt.writeStore.pendingOutbox(10)).toEqual([]);
    } finally {
      await rt.close();
    }
  });

  it("keeps per-aggregate order when one publish fails once, and does not hold back other aggregates (defect 3)", async () => {
    // Given aggregates A and B with five events each, and a bus that fails a-2 once
    await saveEvents(store, "A", ["a-1", "a-2", "a-3", "a-4", "a-5"]);
    await saveEvents(store, "B", ["b-1", "b-2", "b-3", "b-4", "b-5"]);
    let failedOnce = false;
    const bus = new TestDoubleBus((_, e) => {
      if (e.id === "a-2" && !failedOnce) {
        failedOnce = true;
        throw new Error("transient");
      }
    });
    const relay = new OutboxRelay(store, bus);
    // When the first round runs
    await expect(relay.runOnce()).rejects.toThrow("transient");
    // Then B went out completely, A stopped before a-2
    const ids = () => bus.published.map((p) => p.id);
    expect(ids().filter((i) => i.startsWith("b"))).toEqual(["b-1", "b-2", "b-3", "b-4", "b-5"]);
    expect(ids().filter((i) => i.startsWith("a"))).toEqual(["a-1"]);
    // And the next round publishes the rest of A in order
    await relay.runOnce();
    expect(ids().filter((i) => i.startsWith("a"))).toEqual(["a-1", "a-2", "a-3", "a-4", "a-5"]);
    expect(await store.pendingOutbox(100)).toEqual([]);
  });

  it("keeps per-aggregate order under random publish latency; a slow aggregate does not hold back the others (defect 3)", async () => {
    // Given 20 aggregates with 8 events each; aggregate s-0 is slow to publish, the others take random time
    const aggregates = Array.from({ length: 20 }, (_, i) => `s-${i}`);
    for (const a of aggregates) await saveEvents(store, a, Array.from({ length: 8 }, (_, i) => `${a}:${i}`));
    const bus = new TestDoubleBus(async (_, e) => {
      const slow = e.id.startsWith("s-0:");
      await new Promise((r) => setTimeout(r, slow ? 40 : Math.random() * 5));
    });
    const relay = new OutboxRelay(store, bus, { concurrency: 4, batchSize: 200 });
    // When one round publishes everything
    expect(await relay.runOnce()).toBe(160);
    // Then each aggregate's events were published strictly in order
    for (const a of aggregates) {
      const mine = bus.published.filter((p) => p.id.startsWith(`${a}:`)).map((p) => Number(p.id.split(":")[1]));
      expect(mine).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }
    // And the slow aggregate finished last: every other aggregate was done before its last event
    const lastSlow = bus.published.findIndex((p) => p.id === "s-0:7");
    expect(lastSlow).toBe(bus.published.length - 1);
    expect(bus.published.slice(0, lastSlow).filter((p) => !p.id.startsWith("s-0:"))).toHaveLength(152);
  });
});
