/**
 * The WriteStore conformance suite: the same assertions for every adapter
 * (pglite, postgres, datastore). The factory returns a new, connected store
 * on a fresh namespace (schema, table prefix or Datastore namespace) each
 * time it is called; the suite calls it once per test.
 *
 * The outbox relay is exercised here too, against the store under test and
 * the in-process bus: what matters is the store's pendingOutbox/markSent.
 */
import { createMemoryEventBus } from "../../src/adapters/memory";
import { EventDeduplicator } from "../../src/outbox/dedupe";
import { OutboxRelay } from "../../src/outbox/relay";
import { hasOutboxParking, isConcurrencyError, isDuplicateEventError, type EventBus, type OutgoingEvent, type PendingEvent, type WriteStore } from "../../src/ports";
import { uniqueRunId, waitFor } from "./util";

export type WriteStoreFactory = () => Promise<WriteStore>;

export function describeWriteStoreConformance(label: string, factory: WriteStoreFactory): void {
  describe(`WriteStore conformance: ${label}`, () => {
    const run = uniqueRunId();
    let store: WriteStore;
    let n = 0;
    const id = (what: string) => `${what}-${run}-${++n}`;
    const event = (eventId: string, orderingKey?: string): PendingEvent => ({
      id: eventId,
      stream: "property",
      type: "property.Changed",
      data: { eventId, amount: 1250, tags: ["a", "b"] },
      ...(orderingKey ? { orderingKey } : {}),
      attributes: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
    });
    const pendingIds = async () => (await store.pendingOutbox(1000)).map((e) => e.event.id);

    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
    });

    it("answers ping", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it("creates an aggregate at version 1 and loads it back", async () => {
      const a = id("p");
      expect(await store.load("Property", a)).toBeUndefined();
      const saved = await store.save({ type: "Property", id: a, expectedVersion: 0, state: { name: "Elm", units: [1, 2], meta: { x: null } }, events: [] });
      expect(saved).toEqual({ type: "Property", id: a, version: 1, state: { name: "Elm", units: [1, 2], meta: { x: null } } });
      expect(await store.load("Property", a)).toEqual(saved);
      expect(await store.load("Lease", a)).toBeUndefined();
    });

    it("increments the version by one per save and replaces the state", async () => {
      const a = id("p");
      await store.save({ type: "Property", id: a, expectedVersion: 0, state: { name: "Elm", old: true }, events: [] });
      const v2 = await store.save({ type: "Property", id: a, expectedVersion: 1, state: { name: "Oak" }, events: [] });
      expect(v2.version).toBe(2);
      expect(await store.load("Property", a)).toEqual({ type: "Property", id: a, version: 2, state: { name: "Oak" } });
    });

    it("rejects a stale expected version with ConcurrencyError and writes neither state nor outbox", async () => {
      const a = id("p");
      await store.save({ type: "Property", id: a, expectedVersion: 0, state: { v: 1 }, events: [] });
      await store.save({ type: "Property", id: a, expectedVersion: 1, state: { v: 2 }, events: [] });
      const e = id("e");
      const err = await store.save({ type: "Property", id: a, expectedVersion: 1, state: { v: 99 }, events: [event(e)] }).catch((x: unknown) => x);
      expect(isConcurrencyError(err)).toBe(true);
      expect((await store.load("Property", a))?.state).toEqual({ v: 2 });
      expect(await pendingIds()).not.toContain(e);
    });

    it("rejects creating an aggregate that exists, and updating one that does not", async () => {
      const a = id("p");
      await store.save({ type: "Property", id: a, expectedVersion: 0, state: { v: 1 }, events: [] });
      expect(isConcurrencyError(await store.save({ type: "Property", id: a, expectedVersion: 0, state: { v: 9 }, events: [] }).catch((x: unknown) => x))).toBe(true);
      const missing = id("p");
      expect(isConcurrencyError(await store.save({ type: "Property", id: missing, expectedVersion: 3, state: { v: 9 }, events: [] }).catch((x: unknown) => x))).toBe(true);
      expect(await store.load("Property", missing)).toBeUndefined();
    });

    it("lets exactly one of concurrent saves with the same expected version win", async () => {
      const a = id("p");
      await store.save({ type: "Property", id: a, expectedVersion: 0, state: { v: 1 }, events: [] });
      const contenders = [0, 1, 2, 3, 4].map((i) => ({ i, eventId: id(`race${i}`) }));
      const results = await Promise.allSettled(
        contenders.map((c) => store.save({ type: "Property", id: a, expectedVersion: 1, state: { winner: c.i }, events: [event(c.eventId, a)] })),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(4);
      for (const l of lost) expect(isConcurrencyError(l.reason)).toBe(true);
      const winner = contenders[results.indexOf(won[0]!)]!;
      expect(await store.load("Property", a)).toMatchObject({ version: 2, state: { winner: winner.i } });
      const pending = await pendingIds();
      expect(contenders.filter((c) => pending.includes(c.eventId)).map((c) => c.eventId)).toEqual([winner.eventId]);
    });

    it("lets exactly one of concurrent creations of the same aggregate win", async () => {
      const a = id("p");
      const results = await Promise.allSettled([0, 1, 2, 3].map((i) => store.save({ type: "Property", id: a, expectedVersion: 0, state: { i }, events: [] })));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(isConcurrencyError(r.reason)).toBe(true);
      expect((await store.load("Property", a))?.version).toBe(1);
    });

    it("writes the state and its events in one transaction: a failing outbox write leaves neither", async () => {
      // Given an event id already in the outbox
      const first = id("p");
      const e1 = id("e");
      await store.save({ type: "Property", id: first, expectedVersion: 0, state: { v: 1 }, events: [event(e1)] });
      // When another aggregate is saved with a fresh event and that same event id
      const second = id("p");
      const fresh = id("e");
      const err = await store.save({ type: "Property", id: second, expectedVersion: 0, state: { v: 1 }, events: [event(fresh), event(e1)] }).catch((x: unknown) => x);
      // Then the save fails and nothing of it was written
      expect(isDuplicateEventError(err)).toBe(true);
      expect(await store.load("Property", second)).toBeUndefined();
      expect(await pendingIds()).toEqual([e1]);
      // And an update that fails the same way keeps the old version and state
      const upd = await store.save({ type: "Property", id: first, expectedVersion: 1, state: { v: 2 }, events: [event(e1)] }).catch((x: unknown) => x);
      expect(isDuplicateEventError(upd)).toBe(true);
      expect(await store.load("Property", first)).toMatchObject({ version: 1, state: { v: 1 } });
    });

    it("rejects an event id repeated within one save, and one already sent", async () => {
      const a = id("p");
      const e = id("e");
      expect(isDuplicateEventError(await store.save({ type: "Property", id: a, expectedVersion: 0, state: {}, events: [event(e), event(e)] }).catch((x: unknown) => x))).toBe(true);
      expect(await store.load("Property", a)).toBeUndefined();
      await store.save({ type: "Property", id: a, expectedVersion: 0, state: {}, events: [event(e)] });
      await store.markSent((await store.pendingOutbox(10)).map((p) => p.position));
      expect(isDuplicateEventError(await store.save({ type: "Property", id: a, expectedVersion: 1, state: {}, events: [event(e)] }).catch((x: unknown) => x))).toBe(true);
      expect((await store.load("Property", a))?.version).toBe(1);
    });

    it("keeps the outbox in order per aggregate, with the whole event, until marked sent", async () => {
      const a = id("p");
      const b = id("p");
      const [a1, a2, b1, a3] = [id("a1"), id("a2"), id("b1"), id("a3")];
      await store.save({ type: "Property", id: a, expectedVersion: 0, state: {}, events: [event(a1, a), event(a2, a)] });
      await store.save({ type: "Unit", id: b, expectedVersion: 0, state: {}, events: [event(b1, b)] });
      await store.save({ type: "Property", id: a, expectedVersion: 1, state: {}, events: [event(a3, a)] });
      const pending = await store.pendingOutbox(100);
      expect(pending.map((p) => p.event.id)).toEqual([a1, a2, b1, a3]);
      expect(pending[0]).toMatchObject({ aggregateType: "Property", aggregateId: a, event: event(a1, a) });
      expect(pending[2]).toMatchObject({ aggregateType: "Unit", aggregateId: b });
      expect(new Set(pending.map((p) => p.position)).size).toBe(4);
      expect((await store.pendingOutbox(1)).map((p) => p.event.id)).toEqual([a1]);
      await store.markSent([pending[0]!.position, pending[1]!.position]);
      expect(await pendingIds()).toEqual([b1, a3]);
      await store.markSent([pending[0]!.position]); // marking twice is harmless
      expect(await pendingIds()).toEqual([b1, a3]);
    });

    it("relay: a restarted relay publishes every pending event (at least once), in order per aggregate, and consumers deduplicate", async () => {
      // Given six events of two aggregates in the outbox
      const aggs = [id("p"), id("p")];
      const published: string[] = [];
      for (const agg of aggs) {
        const ids = [id("x"), id("x"), id("x")];
        published.push(...ids);
        await store.save({ type: "Property", id: agg, expectedVersion: 0, state: {}, events: ids.map((e) => event(e, agg)) });
      }
      const bus = createMemoryEventBus({
        kind: "memory",
        streams: { property: { topic: `relay-${run}`, deadLetterTopic: `relay-${run}-dlq` } },
        subscriptions: { projector: { stream: "property", subscription: `relay-${run}-projector`, maxDeliveryAttempts: 5, ackDeadlineSeconds: 10 } },
      });
      const deliveries: string[] = [];
      const processed: { id: string; key: string | undefined }[] = [];
      const dedupe = new EventDeduplicator();
      const sub = await bus.subscribe("projector", async (d) => {
        deliveries.push(d.message.id);
        await dedupe.once(d.message.id, async () => void processed.push({ id: d.message.id, key: d.message.orderingKey }));
      });
      // When a first relay crashes after publishing three events but before marking them sent
      let budget = 3;
      const crashing: EventBus = Object.assign(Object.create(bus) as EventBus, {
        publish: async (stream: string, e: OutgoingEvent) => {
          if (budget-- <= 0) throw new Error("relay crashed");
          await bus.publish(stream, e);
        },
      });
      const relay1 = new OutboxRelay(store, crashing, { batchSize: 10, intervalMs: 10 });
      await relay1.runOnce().catch(() => undefined);
      await relay1.stop();
      // And a second relay starts
      const relay2 = new OutboxRelay(store, bus, { batchSize: 10, intervalMs: 10 });
      relay2.start();
      await waitFor("outbox drained", async () => (await store.pendingOutbox(10)).length === 0);
      await waitFor("all events processed", () => processed.length >= 6);
      await relay2.stop();
      await sub.close();
      await bus.close();
      // Then every event was processed exactly once, in order per aggregate, though some were delivered twice
      expect(processed.map((p) => p.id).sort()).toEqual([...published].sort());
      for (const agg of aggs) {
        expect(processed.filter((p) => p.key === agg).map((p) => p.id)).toEqual(published.filter((_, i) => (i < 3 ? aggs[0] : aggs[1]) === agg));
      }
      expect(deliveries.length).toBeGreaterThanOrEqual(6);
    });

    it("parks an outbox entry (optional OutboxParking): it and the later entries of its aggregate wait, others flow; unpark returns them in order", async () => {
      if (!hasOutboxParking(store)) return; // an optional ability: detected, not assumed
      const [a, b] = [id("p"), id("p")];
      const [a1, a2, b1] = [id("e"), id("e"), id("e")];
      await store.save({ type: "Property", id: a, expectedVersion: 0, state: {}, events: [event(a1, a)] });
      await store.save({ type: "Property", id: a, expectedVersion: 1, state: {}, events: [event(a2, a)] });
      await store.save({ type: "Property", id: b, expectedVersion: 0, state: {}, events: [event(b1, b)] });
      const first = (await store.pendingOutbox(100)).find((e) => e.event.id === a1)!;
      // When a1 is parked
      await store.parkOutbox(first.position, "kept failing");
      // Then a1 and a2 wait, b1 flows, and a1 is listed with its reason
      expect(await pendingIds()).toEqual([b1]);
      expect((await store.parkedOutbox(10)).map((p) => [p.event.id, p.reason])).toEqual([[a1, "kept failing"]]);
      // And unparking returns both of A, in order
      expect(await store.unparkOutbox()).toBe(1);
      expect(await pendingIds()).toEqual([a1, a2, b1]);
      expect(await store.parkedOutbox(10)).toEqual([]);
    });
  });
}
