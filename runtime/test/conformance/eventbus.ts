/**
 * The EventBus conformance suite: the same assertions for every adapter
 * (memory, kafka, pubsub). A runner calls
 *   describeEventBusConformance("kafka", (topology) => createKafkaEventBus({ ...base, ...topology }))
 * The suite names its own streams and subscriptions, unique per run, and calls
 * the factory ONCE per run with all of them; if the bus can provision
 * (`ensureTopology`), the suite calls it before any test.
 *
 * Dead letters are observed by subscribing to a stream whose topic is the
 * dead-letter topic, so no optional ability is assumed.
 */
import { hasHealthReporter, hasTopologyProvisioner, type Delivery, type EventBus, type EventMessage, type SubscriptionHandle } from "../../src/ports";
import { sleep, uniqueRunId, waitFor } from "./util";

export interface EventBusTopology {
  readonly streams: Record<string, { topic: string; deadLetterTopic: string }>;
  readonly subscriptions: Record<string, { stream: string; subscription: string; maxDeliveryAttempts: number; ackDeadlineSeconds: number }>;
}

/** Returns a new, connected bus for exactly this topology (merged into the backend's manifest section). */
export type EventBusFactory = (topology: EventBusTopology) => Promise<EventBus>;

export interface EventBusConformanceOptions {
  /** How long to wait for an expected delivery. @default 20 s */
  readonly deliveryTimeoutMs?: number;
  /** How long to watch for an unexpected delivery. @default 1.5 s */
  readonly quietMs?: number;
  /** Ack deadline of the slow-handler test's subscription (the smallest the backend accepts). @default 2 s */
  readonly slowAckDeadlineSeconds?: number;
}

/** Dead-letter tests use 5 attempts: the smallest value Pub/Sub accepts. */
const DLQ_ATTEMPTS = 5;

export function eventBusTopology(run: string, slowAckDeadlineSeconds = 2): EventBusTopology {
  const streamNames = ["basic", "redeliver", "throwing", "dead", "ordered", "drain", "fanout", "handover", "slow", "stuck"];
  const streams: Record<string, { topic: string; deadLetterTopic: string }> = {};
  for (const s of streamNames) streams[s] = { topic: `conf-${run}-${s}`, deadLetterTopic: `conf-${run}-${s}-dlq` };
  streams["dead-dlq"] = { topic: streams.dead!.deadLetterTopic, deadLetterTopic: `conf-${run}-dead-dlq-dlq` };
  const sub = (stream: string, maxDeliveryAttempts = DLQ_ATTEMPTS) => ({ stream, subscription: `conf-${run}-${stream}-sub`, maxDeliveryAttempts, ackDeadlineSeconds: 10 });
  const subscriptions: EventBusTopology["subscriptions"] = {
    basic: sub("basic"),
    redeliver: sub("redeliver"),
    throwing: sub("throwing"),
    dead: sub("dead", DLQ_ATTEMPTS),
    "dead-dlq": sub("dead-dlq"),
    ordered: sub("ordered"),
    drain: sub("drain"),
    handover: sub("handover"),
    slow: { ...sub("slow"), ackDeadlineSeconds: slowAckDeadlineSeconds },
    stuck: sub("stuck"),
    "fanout-a": { ...sub("fanout"), subscription: `conf-${run}-fanout-a` },
    "fanout-b": { ...sub("fanout"), subscription: `conf-${run}-fanout-b` },
  };
  return { streams, subscriptions };
}

export function describeEventBusConformance(label: string, factory: EventBusFactory, options: EventBusConformanceOptions = {}): void {
  const timeout = options.deliveryTimeoutMs ?? 20_000;
  const quietMs = options.quietMs ?? 1_500;
  const slowAckDeadlineSeconds = options.slowAckDeadlineSeconds ?? 2;

  describe(`EventBus conformance: ${label}`, () => {
    const run = uniqueRunId();
    let bus: EventBus;
    const handles: SubscriptionHandle[] = [];
    const subscribe = async (subscription: string, handler: (d: Delivery) => Promise<void>) => {
      const h = await bus.subscribe(subscription, handler);
      handles.push(h);
      return h;
    };
    const ev = (id: string, extra: { orderingKey?: string; attributes?: Record<string, string> } = {}) => ({
      id: `${run}-${id}`,
      type: "conformance.Tested",
      data: { n: id, nested: { ok: true, list: [1, 2] } },
      ...extra,
    });

    beforeAll(async () => {
      bus = await factory(eventBusTopology(run, slowAckDeadlineSeconds));
      if (hasTopologyProvisioner(bus)) await bus.ensureTopology();
    });
    const releaseAtEnd: (() => void)[] = [];
    afterAll(async () => {
      for (const r of releaseAtEnd) r();
      for (const h of handles) await h.close();
      if (bus) await bus.close();
    });

    it("answers ping", async () => {
      await expect(bus.ping()).resolves.toBeUndefined();
    });

    it("reports its health (HealthReporter): ok, with no problems, while the backend answers", async () => {
      expect(hasHealthReporter(bus)).toBe(true);
      if (!hasHealthReporter(bus)) return;
      expect(bus.health()).toEqual({ status: "ok", problems: [] });
    });

    it("rejects a stream or subscription that is not in the manifest, naming it", async () => {
      await expect(bus.publish("no-such-stream", ev("x"))).rejects.toThrow(/no-such-stream/);
      await expect(bus.subscribe("no-such-subscription", async () => undefined)).rejects.toThrow(/no-such-subscription/);
    });

    it("delivers id, type, data and attributes, and an acked event is not delivered again", async () => {
      // Given a subscriber that acks explicitly
      const got: Delivery[] = [];
      const h = await subscribe("basic", async (d) => {
        got.push(d);
        await d.ack();
      });
      // When three events are published
      await bus.publish("basic", ev("b1", { attributes: { tenant: "t-1" } }));
      await bus.publish("basic", ev("b2"));
      await bus.publish("basic", ev("b3"));
      await waitFor("3 deliveries on basic", () => got.length >= 3, timeout);
      // Then each arrives once, intact, on its first attempt
      const first = got.find((d) => d.message.id === `${run}-b1`)!;
      expect(first.message).toMatchObject({ stream: "basic", type: "conformance.Tested", data: { n: "b1", nested: { ok: true, list: [1, 2] } } });
      expect(first.message.attributes.tenant).toBe("t-1");
      expect(first.attempt).toBe(1);
      expect(got.map((d) => d.message.id).sort()).toEqual([`${run}-b1`, `${run}-b2`, `${run}-b3`]);
      // And after re-subscribing, only a new event arrives (the acked ones are gone)
      await h.close();
      const again: EventMessage[] = [];
      await subscribe("basic", async (d) => {
        again.push(d.message);
      });
      await bus.publish("basic", ev("b4"));
      await waitFor("b4 after resubscribe", () => again.some((m) => m.id === `${run}-b4`), timeout);
      await sleep(quietMs);
      expect(again.map((m) => m.id)).toEqual([`${run}-b4`]);
    });

    it("redelivers a nacked event with an increasing attempt counter", async () => {
      const attempts: number[] = [];
      await subscribe("redeliver", async (d) => {
        attempts.push(d.attempt);
        if (d.attempt < 3) await d.nack();
        else await d.ack();
      });
      await bus.publish("redeliver", ev("r1"));
      await waitFor("3 attempts of r1", () => attempts.length >= 3, timeout);
      await sleep(quietMs);
      expect(attempts).toEqual([1, 2, 3]);
    });

    it("treats a handler that throws as a nack, and one that returns as an ack", async () => {
      const attempts: number[] = [];
      await subscribe("throwing", async (d) => {
        attempts.push(d.attempt);
        if (d.attempt === 1) throw new Error("handler failed");
      });
      await bus.publish("throwing", ev("t1"));
      await waitFor("2 attempts of t1", () => attempts.length >= 2, timeout);
      await sleep(quietMs);
      expect(attempts).toEqual([1, 2]);
    });

    it(`moves an event to the dead-letter topic after maxDeliveryAttempts (${DLQ_ATTEMPTS}) and moves on`, async () => {
      // Given a subscriber that always nacks d1 and acks everything else
      const attempts: Record<string, number[]> = {};
      await subscribe("dead", async (d) => {
        (attempts[d.message.id] ??= []).push(d.attempt);
        if (d.message.id === `${run}-d1`) await d.nack();
        else await d.ack();
      });
      const dead: EventMessage[] = [];
      await subscribe("dead-dlq", async (d) => {
        dead.push(d.message);
      });
      // When d1 and then d2 are published on one ordering key
      await bus.publish("dead", ev("d1", { orderingKey: "k", attributes: { kept: "yes" } }));
      await bus.publish("dead", ev("d2", { orderingKey: "k" }));
      // Then d1 is tried exactly maxDeliveryAttempts times and lands on the dead-letter topic intact
      await waitFor("d1 on the dead-letter topic", () => dead.length >= 1, timeout);
      expect(dead[0]).toMatchObject({ id: `${run}-d1`, type: "conformance.Tested", data: { n: "d1", nested: { ok: true, list: [1, 2] } } });
      expect(dead[0]!.attributes.kept).toBe("yes");
      // And d2 still gets through
      await waitFor("d2 delivered after d1 was dead-lettered", () => (attempts[`${run}-d2`]?.length ?? 0) >= 1, timeout);
      await sleep(quietMs);
      expect(attempts[`${run}-d1`]).toEqual([1, 2, 3, 4, 5]);
      expect(dead.map((m) => m.id)).toEqual([`${run}-d1`]);
      expect(attempts[`${run}-d2`]).toEqual([1]);
    });

    it("delivers events with the same ordering key in publish order, also across a nack of the first and of a later key", async () => {
      const keys = ["ka", "kb"];
      const perKey = 12;
      const acked: Record<string, string[]> = { ka: [], kb: [] };
      const seen = new Set<string>();
      // one nack in the middle of key ka and one of key kb (not the first key): what follows each must wait for it
      const toNack = new Set([`${run}-ka-5`, `${run}-kb-3`]);
      const nacked: string[] = [];
      await subscribe("ordered", async (d) => {
        const key = d.message.orderingKey!;
        if (toNack.delete(d.message.id)) {
          nacked.push(d.message.id);
          await d.nack();
          return;
        }
        if (!seen.has(d.message.id)) {
          seen.add(d.message.id);
          acked[key]!.push(d.message.id);
        }
        await d.ack();
      });
      const published: Record<string, string[]> = { ka: [], kb: [] };
      for (let i = 0; i < perKey; i++) {
        for (const k of keys) {
          const e = ev(`${k}-${i}`, { orderingKey: k });
          published[k]!.push(e.id);
          await bus.publish("ordered", e);
        }
      }
      await waitFor("all ordered events", () => seen.size >= keys.length * perKey, timeout);
      expect(nacked.sort()).toEqual([`${run}-ka-5`, `${run}-kb-3`]);
      expect(acked.ka).toEqual(published.ka);
      expect(acked.kb).toEqual(published.kb);
    });

    it("gives every subscription of a stream its own copy of each event", async () => {
      const a: string[] = [];
      const b: string[] = [];
      await subscribe("fanout-a", async (d) => void a.push(d.message.id));
      await subscribe("fanout-b", async (d) => void b.push(d.message.id));
      await bus.publish("fanout", ev("f1"));
      await bus.publish("fanout", ev("f2"));
      await waitFor("both subscriptions got both events", () => a.length >= 2 && b.length >= 2, timeout);
      await sleep(quietMs);
      expect(a.sort()).toEqual([`${run}-f1`, `${run}-f2`]);
      expect(b.sort()).toEqual([`${run}-f1`, `${run}-f2`]);
    });

    it("hands an event nacked while its subscriber closes over to the next subscriber (at least once)", async () => {
      // Given a handler that holds h1 until told to nack it
      let started = false;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const h = await subscribe("handover", async (d) => {
        started = true;
        await gate;
        await d.nack();
      });
      await bus.publish("handover", ev("h1"));
      await waitFor("first delivery of h1", () => started, timeout);
      // When the subscriber closes and the in-flight delivery is nacked meanwhile
      const closing = h.close();
      release();
      await closing;
      // Then the next subscriber of the same subscription gets h1
      const again: string[] = [];
      await subscribe("handover", async (d) => void again.push(d.message.id));
      await waitFor("h1 delivered to the next subscriber", () => again.includes(`${run}-h1`), timeout);
    });

    it("drains on close: close() resolves only after the in-flight handler finished", async () => {
      let started = false;
      let finished = false;
      const h = await subscribe("drain", async (d) => {
        started = true;
        await sleep(400);
        finished = true;
        await d.ack();
      });
      await bus.publish("drain", ev("x1"));
      await waitFor("handler started", () => started, timeout);
      await h.close();
      expect(finished).toBe(true);
    });

    it("runs a handler slower than the ack deadline once: the lease is extended, its ack counts, and no later event of its key overtakes it (defect 8)", async () => {
      // Given a handler that takes 1.5 times the subscription's ack deadline for s1, the first event of
      // key kb (not the first key: ka's event comes before it), and is fast for everything else
      const runs: number[] = [];
      const log: string[] = [];
      let running = 0;
      let maxRunning = 0;
      await subscribe("slow", async (d) => {
        const id = d.message.id.slice(run.length + 1);
        log.push(`start ${id}`);
        if (id === "s1") {
          runs.push(d.attempt);
          maxRunning = Math.max(maxRunning, ++running);
          await sleep(slowAckDeadlineSeconds * 1500);
          running--;
        }
        log.push(`end ${id}`);
        await d.ack();
      });
      // When s0 (key ka), then s1 and s2 (key kb) are published
      await bus.publish("slow", ev("s0", { orderingKey: "ka" }));
      await bus.publish("slow", ev("s1", { orderingKey: "kb" }));
      await bus.publish("slow", ev("s2", { orderingKey: "kb" }));
      await waitFor("the slow handler finished and s2 was handled", () => runs.length >= 1 && running === 0 && log.includes("end s2"), timeout + slowAckDeadlineSeconds * 1500);
      // Then, after another ack deadline: s2 of the same key ran only after s1 finished (an expired
      // lease would have redelivered s1, and s2 would have overtaken its first run) ...
      await sleep(slowAckDeadlineSeconds * 1000 + quietMs);
      expect(log.filter((l) => / s[12]$/.test(l))).toEqual(["start s1", "end s1", "start s2", "end s2"]);
      // ... and s1 ran exactly once, never concurrently with itself
      expect(runs).toEqual([1]);
      expect(maxRunning).toBe(1);
    });

    it("bounds close(): a handler that never finishes does not hang it, and its event goes to the next subscriber", async () => {
      // Given a handler that never returns (released only at the end of the suite)
      let started = false;
      const stuck = new Promise<void>((r) => releaseAtEnd.push(r));
      const h = await subscribe("stuck", async () => {
        started = true;
        await stuck;
      });
      await bus.publish("stuck", ev("st1"));
      await waitFor("stuck handler started", () => started, timeout);
      // When the subscriber closes
      let closed = false;
      void h.close().then(() => (closed = true));
      // Then close() returns (after the adapter's drain time) ...
      await waitFor("close() of a subscriber with a stuck handler returned", () => closed, timeout);
      // ... and the next subscriber of the subscription gets the event
      const again: string[] = [];
      await subscribe("stuck", async (d) => void again.push(d.message.id));
      await waitFor("st1 delivered to the next subscriber", () => again.includes(`${run}-st1`), timeout);
    });
  });
}
