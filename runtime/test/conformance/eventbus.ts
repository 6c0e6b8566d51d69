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
import { hasTopologyProvisioner, type Delivery, type EventBus, type EventMessage, type SubscriptionHandle } from "../../src/ports";
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
}

/** Dead-letter tests use 5 attempts: the smallest value Pub/Sub accepts. */
const DLQ_ATTEMPTS = 5;

export function eventBusTopology(run: string): EventBusTopology {
  const streamNames = ["basic", "redeliver", "throwing", "dead", "ordered", "drain", "fanout", "handover"];
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
    "fanout-a": { ...sub("fanout"), subscription: `conf-${run}-fanout-a` },
    "fanout-b": { ...sub("fanout"), subscription: `conf-${run}-fanout-b` },
  };
  return { streams, subscriptions };
}

export function describeEventBusConformance(label: string, factory: EventBusFactory, options: EventBusConformanceOptions = {}): void {
  const timeout = options.deliveryTimeoutMs ?? 20_000;
  const quietMs = options.quietMs ?? 1_500;

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
      bus = await factory(eventBusTopology(run));
      if (hasTopologyProvisioner(bus)) await bus.ensureTopology();
    });
    afterAll(async () => {
      for (const h of handles) await h.close();
      if (bus) await bus.close();
    });

    it("answers ping", async () => {
      await expect(bus.ping()).resolves.toBeUndefined();
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

    it("delivers events with the same ordering key in publish order, also across a nack", async () => {
      const keys = ["ka", "kb"];
      const perKey = 12;
      const acked: Record<string, string[]> = { ka: [], kb: [] };
      const seen = new Set<string>();
      let nacked = false;
      await subscribe("ordered", async (d) => {
        const key = d.message.orderingKey!;
        // one nack in the middle of key ka: what follows must wait for it
        if (d.message.id === `${run}-ka-5` && !nacked) {
          nacked = true;
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
      expect(nacked).toBe(true);
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
  });
}
