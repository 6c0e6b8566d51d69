/**
 * Fault test: the Pub/Sub emulator is restarted mid-stream (SIGTERM once,
 * SIGKILL once) while 10,000 events go through the outbox relay into a PRIVATE
 * emulator; a projector with dedupe consumes into the PostgreSQL read store.
 *
 * The emulator keeps topics, subscriptions and messages in memory only, so a
 * restart loses whatever it had accepted and not yet delivered, and the
 * topology has to be provisioned again (the test does it, as the stack would).
 * What the runtime must guarantee, and what is asserted: no event is applied
 * twice (count and checksum over what arrived), per-key order holds (no stale
 * write), publishes that failed during the outage are retried by the relay,
 * and every event missing at the end was sent before the topology was
 * provisioned again after the last restart (lost with the stopped emulator's
 * memory, or published while the new one had the topic but not yet the
 * subscription); they are counted and reported. The subscriber recovers by
 * itself (no re-subscribe): its bus reports it degraded during each outage and
 * healthy again once it streams (asserted; the recovery time is reported).
 */
import { createHash } from "node:crypto";
import { createPubSubEventBus, type PubSubEventBus } from "../../src/adapters/pubsub";
import { OutboxRelay } from "../../src/outbox/relay";
import type { EventBus, OutgoingEvent, SubscriptionHandle } from "../../src/ports";
import { uniqueRunId } from "../conformance/util";
import { eventId, openStores, privatePubSub, readModelReport, report, seedOutbox, sleep, waitUntil, projector, type PrivateBroker, type ProjectorResults, type Stores, bounded } from "./support";

const UNITS = 200;
const VERSIONS = 50; // 10,000 events

describe("fault: Pub/Sub emulator restarted mid-stream", () => {
  const run = uniqueRunId();
  const schema = `faults_pubsub_${run}`;
  let emulator: PrivateBroker;
  let stores: Stores;
  let bus: PubSubEventBus | undefined;
  let relay: OutboxRelay | undefined;
  let sub: SubscriptionHandle | undefined;

  afterAll(async () => {
    await bounded(relay?.stop());
    await bounded(sub?.close());
    await bounded(bus?.close());
    await bounded(emulator?.destroy(), 60_000);
    await bounded(stores?.drop());
  });

  it("applies no event twice, keeps per-key order, and loses only what the stopped emulator held", async () => {
    const t0 = Date.now();
    emulator = await privatePubSub();
    await emulator.start();
    stores = await openStores(schema);
    const topic = `faults-${run}-property`;
    const errors: string[] = [];
    bus = createPubSubEventBus(
      {
        kind: "pubsub",
        projectId: "hexproperty-faults",
        emulatorHost: emulator.address,
        streams: { property: { topic, deadLetterTopic: `${topic}-dlq` } },
        subscriptions: { projector: { stream: "property", subscription: `faults-${run}-projector`, maxDeliveryAttempts: 100, ackDeadlineSeconds: 30 } },
      },
      { retryBackoff: { minimumSeconds: 0, maximumSeconds: 1 }, publishTimeoutMs: 10_000, drainTimeoutMs: 5_000, maxOutstandingMessages: 500, onError: (e) => void errors.push(e.message) },
    );
    await bus.ensureTopology();
    const results: ProjectorResults = { applied: 0, duplicate: 0, stale: 0, deliveries: 0 };
    const handler = projector(stores, schema, results);
    sub = await bus.subscribe("projector", handler);
    // when the publish that was accepted (resolved) was SENT, to tell what a stopped emulator took with it:
    // a publish sent after re-provisioning finished must arrive (its resolve time could fall after it even
    // if the emulator took it just before the subscription existed)
    const acceptedAt = new Map<string, number>();
    const recording: EventBus = {
      kind: bus.kind,
      ping: () => bus!.ping(),
      close: async () => undefined,
      subscribe: (s, h) => bus!.subscribe(s, h),
      publish: async (stream: string, e: OutgoingEvent) => {
        const sentAt = Date.now();
        await bus!.publish(stream, e);
        acceptedAt.set(e.id, sentAt);
      },
    };
    let failedRounds = 0;
    const countFailures = { log: () => undefined, debug: () => undefined, info: () => undefined, error: () => undefined, warn: () => void failedRounds++ };
    const seeding = seedOutbox(stores, UNITS, VERSIONS);
    relay = new OutboxRelay(stores.writeStore, recording, { batchSize: 500, intervalMs: 50, maxAttempts: 1_000, logger: countFailures });
    relay.start();
    // the subscriber's health, sampled: degraded during each outage, ok again once it streams
    const subscriberDegradedAt: number[] = [];
    const sampler = setInterval(() => {
      if (bus!.health().problems.some((p) => p.startsWith("subscription projector"))) subscriberDegradedAt.push(Date.now());
    }, 250);
    const stops: { signal: string; at: number; provisionedAt: number; publishedAtStop: number; downMs: number }[] = [];
    const outage = async (signal: NodeJS.Signals, atPublished: number) => {
      await waitUntil(`${atPublished} events published`, () => relay!.publishedCount >= atPublished, 240_000);
      const at = Date.now();
      const publishedAtStop = relay!.publishedCount;
      await emulator.stop(signal);
      await sleep(3000);
      await emulator.start();
      // the emulator forgot everything: provision again (the stack's job in the cloud); the running
      // subscriber's streaming pull reconnects by itself (a publish between the topic's and the
      // subscription's creation would reach no subscription: that window is before provisionedAt)
      await bus!.ensureTopology();
      const provisionedAt = Date.now();
      stops.push({ signal, at, provisionedAt, publishedAtStop, downMs: provisionedAt - at });
    };
    try {
      await outage("SIGTERM", 2_500);
      await outage("SIGKILL", 6_000);
      await seeding;
      await waitUntil("outbox drained", async () => (await readModelReport(stores, schema, VERSIONS)).pendingOutbox === 0, 300_000, 1000);
      await waitUntil("subscriber streaming again (bus healthy)", () => bus!.health().status === "ok", 120_000, 250);
      // then wait until the read store stops growing (what was not lost arrives)
      let last = -1;
      await waitUntil("read store complete or stable for 10 s", async () => {
        const n = (await readModelReport(stores, schema, VERSIONS)).appliedEvents;
        if (n >= UNITS * VERSIONS) return true;
        if (n === last) return true;
        last = n;
        await sleep(9000);
        return false;
      }, 300_000, 1000);
    } finally {
      clearInterval(sampler);
      await relay.stop();
    }
    const rm = await readModelReport(stores, schema, VERSIONS);
    const appliedIds = new Set((await stores.query<{ event_id: string }>(`SELECT event_id FROM ${schema}.hp_applied_events`)).map((r) => r.event_id));
    const missing: string[] = [];
    for (let u = 0; u < UNITS; u++) for (let v = 1; v <= VERSIONS; v++) if (!appliedIds.has(eventId(u, v))) missing.push(eventId(u, v));
    const lastProvisioned = Math.max(...stops.map((s) => s.provisionedAt));
    const missingAcceptedAfterLastStop = missing.filter((id) => (acceptedAt.get(id) ?? 0) > lastProvisioned);
    const missingNeverAccepted = missing.filter((id) => !acceptedAt.has(id));
    const checksum = createHash("md5").update([...appliedIds].sort().join(",")).digest("hex");
    // per outage: was the subscriber seen degraded, and how long after re-provisioning it was healthy again
    const outages = stops.map((s, i) => {
      const until = stops[i + 1]?.at ?? Infinity;
      const degraded = subscriberDegradedAt.filter((t) => t >= s.at && t < until);
      return { signal: s.signal, publishedAtStop: s.publishedAtStop, downMs: s.downMs, subscriberDegraded: degraded.length > 0, healthyAfterProvisioningMs: degraded.length ? Math.max(0, Math.max(...degraded) - s.provisionedAt) : null };
    });
    report("pubsub-emulator-restart", {
      events: UNITS * VERSIONS,
      appliedEvents: rm.appliedEvents,
      distinctAppliedIds: appliedIds.size,
      checksumOfApplied: checksum,
      checksumInDb: rm.checksum,
      lostWithStoppedEmulator: missing.length,
      missingAcceptedAfterReprovisioning: missingAcceptedAfterLastStop.length,
      missingNeverAccepted: missingNeverAccepted.length,
      staleEvents: rm.staleEvents,
      deliveries: results.deliveries,
      duplicatesDroppedByReadStore: results.duplicate,
      relayPublished: relay.publishedCount,
      relayFailedRounds: failedRounds,
      subscriberErrors: errors.length,
      firstSubscriberError: errors[0]?.slice(0, 160),
      outages,
      seconds: Math.round((Date.now() - t0) / 1000),
    });
    expect(rm.pendingOutbox).toBe(0);
    expect(rm.appliedEvents).toBe(appliedIds.size); // no event applied twice
    expect(rm.checksum).toBe(checksum);
    expect(rm.staleEvents).toBe(0); // per-key order
    expect(missingNeverAccepted).toEqual([]); // the relay retried every failed publish
    expect(missingAcceptedAfterLastStop).toEqual([]); // nothing accepted by the running emulator was lost
    expect(outages.map((o) => o.subscriberDegraded)).toEqual([true, true]); // each outage was visible in health()
    expect(bus.health()).toEqual({ status: "ok", problems: [] });
  });
});
