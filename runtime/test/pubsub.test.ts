/**
 * Pub/Sub adapter behaviour beyond the conformance suite, on the emulator
 * (gcp-emulated manifest, npm run backends:up).
 */
import { PubSub, type Subscription } from "@google-cloud/pubsub";
import { createPubSubEventBus, deadLetterReaderSubscription } from "../src/adapters/pubsub";
import { PubSubSubscriber, RECOVERY, type SubscriberHost } from "../src/adapters/pubsub/subscriber";
import { localManifest } from "./backends";
import { sleep, uniqueRunId, waitFor } from "./conformance/util";

const manifest = localManifest("gcp-emulated");
if (manifest.eventBus.kind !== "pubsub") throw new Error("gcp-emulated manifest: eventBus.kind is not pubsub");
const base = manifest.eventBus;

/** A bus with one stream and one subscription ("s") on `topic`, the subscription `${topic}-sub`, and an emulator admin client (flow control: `maxOutstandingMessages` when given). */
function busOn(topic: string, onError: (e: Error) => void = () => undefined, maxOutstandingMessages?: number) {
  const bus = createPubSubEventBus(
    { ...base, streams: { s: { topic, deadLetterTopic: `${topic}-dlq` } }, subscriptions: { s: { stream: "s", subscription: `${topic}-sub`, maxDeliveryAttempts: 5, ackDeadlineSeconds: 10 } } },
    { retryBackoff: { minimumSeconds: 0, maximumSeconds: 1 }, publishTimeoutMs: 5000, onError, ...(maxOutstandingMessages ? { maxOutstandingMessages } : {}) },
  );
  const admin = new PubSub({ projectId: base.projectId, apiEndpoint: base.emulatorHost!, emulatorMode: true });
  return { bus, admin };
}

describe("pubsub event bus (emulator)", () => {
  it("is degraded while its subscription is gone, keeps retrying, and streams again once it is back", async () => {
    // Given a streaming subscriber
    const run = uniqueRunId();
    const topic = `ps-health-${run}`;
    const subscription = `${topic}-sub`;
    const { bus, admin } = busOn(topic);
    try {
      await bus.ensureTopology();
      const got: string[] = [];
      const h = await bus.subscribe("s", async (d) => void got.push(d.message.id));
      await bus.publish("s", { id: `${run}-e1`, type: "t", data: 1 });
      await waitFor("e1", () => got.includes(`${run}-e1`), 20_000);
      expect(bus.health()).toEqual({ status: "ok", problems: [] });
      // When the subscription is deleted
      await admin.subscription(subscription).delete();
      // Then the bus reports it (health and ping), and stays degraded while the subscription is gone
      await waitFor("degraded", () => bus.health().status === "degraded", 30_000);
      expect(bus.health().problems.join("\n")).toMatch(/^subscription s: /);
      await expect(bus.ping()).rejects.toThrow(/degraded/);
      await sleep(4_000);
      expect(bus.health().status).toBe("degraded");
      // When the subscription is provisioned again
      await bus.ensureTopology();
      // Then the subscriber recovers by itself: healthy again, and new events arrive
      await waitFor("healthy again", () => bus.health().status === "ok", 30_000);
      await bus.publish("s", { id: `${run}-e2`, type: "t", data: 2 });
      await waitFor("e2 after the subscription came back", () => got.includes(`${run}-e2`), 30_000);
      await expect(bus.ping()).resolves.toBeUndefined();
      await h.close();
    } finally {
      await bus.close();
      await admin.close();
    }
  });

  it("keeps a message whose dead-letter publish fails unacked, and dead-letters it once the topic is back (defect 7)", async () => {
    // Given a subscription whose dead-letter topic is missing, and a handler that always nacks
    const run = uniqueRunId();
    const topic = `ps-dlq-${run}`;
    const dlq = `${topic}-dlq`;
    const errors: string[] = [];
    const { bus, admin } = busOn(topic, (e) => void errors.push(e.message));
    try {
      await bus.ensureTopology();
      await admin.subscription(deadLetterReaderSubscription(dlq)).delete();
      await admin.topic(dlq).delete();
      let attempts = 0;
      let hold = false;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const h = await bus.subscribe("s", async (d) => {
        attempts++;
        if (hold) await gate;
        await d.nack();
      });
      await bus.publish("s", { id: `${run}-e1`, type: "t", data: { n: 1 } });
      // When the attempts run out while the dead-letter topic is missing
      await waitFor("two failed dead-letter publishes", () => errors.filter((e) => /NOT_FOUND|not found/i.test(e)).length >= 2, 60_000);
      // (the next delivery is held, so no dead-letter publish is in flight while the topic comes back)
      hold = true;
      const held = attempts + 1;
      await waitFor("the next delivery (held)", () => attempts >= held, 60_000);
      // Then the message was not acked: once the topic exists again it lands on it
      await admin.createTopic(dlq);
      await admin.createSubscription(dlq, deadLetterReaderSubscription(dlq));
      release();
      const dead = await waitForDeadLetters(bus, 30_000);
      expect(dead.map((m) => m.id)).toEqual([`${run}-e1`]);
      await h.close();
    } finally {
      await bus.close();
      await admin.close();
    }
  });

  it("keeps per-key order when a stream the client retries comes back while the subscriber is recovering (the stream is not closed under it)", async () => {
    // Given a quiet ordered subscription and a subscriber (flow control: 50 messages) whose host lets the test hold the recovery's subscription check
    const run = uniqueRunId();
    const topic = `ps-retry-${run}`;
    const { bus, admin } = busOn(topic, undefined, 50);
    const real = bus as unknown as SubscriberHost;
    const streams: Subscription[] = [];
    let holdCheck: Promise<void> | undefined;
    const host: SubscriberHost = {
      settings: real.settings,
      send: (t, m) => real.send(t, m),
      streamState: (name, problem) => real.streamState(name, problem),
      clientSubscription: (name) => {
        const s = real.clientSubscription(name);
        streams.push(s);
        const getMetadata = s.getMetadata.bind(s) as (o: object) => Promise<unknown>;
        s.getMetadata = (async (o: object) => {
          await holdCheck;
          return getMetadata(o);
        }) as typeof s.getMetadata;
        return s;
      },
    };
    const KEYS = 20;
    const VERSIONS = 100;
    const firstSeen = new Set<string>();
    const newest = new Map<string, number>();
    let stale = 0;
    let deliveries = 0;
    const subscriber = new PubSubSubscriber(
      host,
      async (d) => {
        deliveries++;
        const { key, v } = d.message.data as { key: string; v: number };
        await sleep(3);
        if (firstSeen.has(d.message.id)) return;
        firstSeen.add(d.message.id);
        if ((newest.get(key) ?? 0) > v) stale++;
        else newest.set(key, v);
      },
      { name: "s", stream: "s", deadLetterTopic: `${topic}-dlq`, maxDeliveryAttempts: 5, ackDeadlineMs: 10_000, attempts: new Map(), bounces: new Map() },
      `projects/${base.projectId}/subscriptions/${topic}-sub`,
    );
    try {
      await bus.ensureTopology();
      subscriber.start();
      await sleep(1_000);
      // When the client reports that its stream ended and will be retried (what it emits for UNAVAILABLE) ...
      let release!: () => void;
      holdCheck = new Promise<void>((r) => (release = r));
      streams[0]!.emit("debug", { message: "Subscriber stream 0 has ended with status 14; will be retried." });
      await waitFor("degraded", () => bus.health().status === "degraded", 5_000);
      // ... and, while the recovery checks the subscription, the retried stream streams a backlog again
      await sleep(RECOVERY.firstPauseMs + 200);
      const publish = (from: number, to: number) => {
        const sends: Promise<void>[] = [];
        for (let v = from; v <= to; v++) for (let k = 0; k < KEYS; k++) sends.push(bus.publish("s", { id: `${run}-k${k}-v${v}`, type: "t", data: { key: `k${k}`, v }, orderingKey: `k${k}` }));
        return Promise.all(sends);
      };
      await publish(1, VERSIONS / 2);
      await waitFor("the backlog streaming", () => deliveries >= 100, 20_000);
      // (and more events keep coming after the check)
      release();
      await publish(VERSIONS / 2 + 1, VERSIONS);
      // Then every event is handled, none after a newer one of its key, and the subscriber is healthy again
      await waitFor("every event handled", () => firstSeen.size === KEYS * VERSIONS, 60_000);
      expect({ stale, handled: firstSeen.size }).toEqual({ stale: 0, handled: KEYS * VERSIONS });
      await waitFor("healthy again", () => bus.health().status === "ok", 30_000);
    } finally {
      await subscriber.close();
      await bus.close();
      await admin.close();
    }
  });
});

async function waitForDeadLetters(bus: ReturnType<typeof createPubSubEventBus>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await bus.takeDeadLetters("s", 10, 2_000);
    if (got.length || Date.now() > deadline) return got;
  }
}
