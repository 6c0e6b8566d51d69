/**
 * The Pub/Sub subscriber's ordering under an outage, driven by a SCRIPTED
 * client stream (no emulator): the test decides exactly when each delivery
 * arrives and when the subscription can be seen again, which neither the
 * emulator nor Pub/Sub lets a test do. The redelivery order scripted here
 * (a fresh message before the returned one) is the emulator's, seen in
 * test/pubsub.test.ts.
 */
import { EventEmitter } from "node:events";
import type { Message, Subscription } from "@google-cloud/pubsub";
import { pubSubSettings } from "../src/adapters/pubsub/settings";
import { PubSubSubscriber, type SubscriberHost } from "../src/adapters/pubsub/subscriber";
import { encode } from "../src/adapters/pubsub/wire";
import { sleep, waitFor } from "./conformance/util";

const ACK_DEADLINE_MS = 1_000;

/** A client stream the test drives: emit("message", …) delivers, emit("error", …) breaks it. */
class ScriptedStream extends EventEmitter {
  closed = false;
  constructor(private readonly visible: () => Promise<void>) {
    super();
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  getMetadata(): Promise<void> {
    return this.visible();
  }
}

/** A delivery of `event` (a redelivery has the same message id, as on Pub/Sub); its ack or nack is recorded in `settled`. */
function delivery(event: string, version: number, settled: string[]): Message {
  const wire = encode({ id: event, type: "unit.changed", data: { version }, orderingKey: "unit-1" });
  return {
    id: `message-${event}`,
    data: wire.data,
    attributes: wire.attributes,
    orderingKey: wire.orderingKey,
    deliveryAttempt: 0,
    ack: () => void settled.push(`ack ${event}`),
    nack: () => void settled.push(`nack ${event}`),
  } as unknown as Message;
}

describe("pubsub subscriber (scripted client stream, no emulator)", () => {
  it("keeps a key waiting for its nacked message through an outage longer than the ack deadline", async () => {
    // Given a subscriber on a scripted stream, and a subscription check the test holds (the outage)
    const streams: ScriptedStream[] = [];
    let release!: () => void;
    let outage: Promise<void> = Promise.resolve();
    const states: (string | undefined)[] = [];
    const host: SubscriberHost = {
      settings: pubSubSettings({ kind: "pubsub", projectId: "scripted", emulatorHost: "127.0.0.1:1", streams: { s: { topic: "t", deadLetterTopic: "t-dlq" } }, subscriptions: { s: { stream: "s", subscription: "t-sub", maxDeliveryAttempts: 5, ackDeadlineSeconds: 10 } } }, { onError: () => undefined }),
      send: async () => undefined,
      streamState: (_name, problem) => void states.push(problem),
      clientSubscription: () => {
        const s = new ScriptedStream(() => outage);
        streams.push(s);
        return s as unknown as Subscription;
      },
    };
    const handled: string[] = [];
    let failFirst = true;
    const subscriber = new PubSubSubscriber(
      host,
      async (d) => {
        handled.push(d.message.id);
        if (d.message.id === "v1" && failFirst) {
          failFirst = false;
          throw new Error("first attempt fails");
        }
      },
      { name: "s", stream: "s", deadLetterTopic: "t-dlq", maxDeliveryAttempts: 5, ackDeadlineMs: ACK_DEADLINE_MS, attempts: new Map(), bounces: new Map() },
      "projects/scripted/subscriptions/t-sub",
    );
    const settled: string[] = [];
    subscriber.start();
    try {
      // When v1 is delivered and nacked ...
      streams[0]!.emit("message", delivery("v1", 1, settled));
      await waitFor("v1 nacked", () => settled.includes("nack v1"), 5_000);
      // ... and the stream breaks for longer than the ack deadline
      outage = new Promise<void>((r) => (release = r));
      streams[0]!.emit("error", new Error("14 UNAVAILABLE: scripted outage"));
      await sleep(ACK_DEADLINE_MS * 2.5);
      release();
      await waitFor("a fresh stream", () => streams.length >= 3 && !streams.at(-1)!.closed, 10_000);
      const fresh = streams.at(-1)!;
      // ... and the fresh stream hands out v2 (fresh) before v1 comes back, as the emulator does
      fresh.emit("message", delivery("v2", 2, settled));
      await waitFor("v2 returned or handled", () => settled.includes("nack v2") || handled.includes("v2"), 5_000);
      fresh.emit("message", delivery("v1", 1, settled));
      await waitFor("v1 acked", () => settled.includes("ack v1"), 5_000);
      if (!handled.includes("v2")) fresh.emit("message", delivery("v2", 2, settled));
      await waitFor("v2 handled", () => handled.includes("v2"), 5_000);
      // Then v2 waited for v1: handled in order, v2 returned unprocessed once
      expect(handled).toEqual(["v1", "v1", "v2"]);
      expect(settled).toEqual(["nack v1", "nack v2", "ack v1", "ack v2"]);
      expect(states.at(-1)).toBeUndefined(); // healthy again
    } finally {
      await subscriber.close();
    }
  });
});
