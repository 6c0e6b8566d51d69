import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryCache, createMemoryEventBus } from "../src/adapters/memory";
import { createPgliteWriteStore } from "../src/adapters/pglite";

describe("embedded adapters (beyond the conformance suites)", () => {
  it("memory cache evicts the least recently used entry beyond maxEntries", async () => {
    const cache = createMemoryCache({ kind: "memory", maxEntries: 2 });
    await cache.set("a", 1, 10_000);
    await cache.set("b", 2, 10_000);
    await cache.get("a"); // a is now the most recently used
    await cache.set("c", 3, 10_000);
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get("a")).toBe(1);
    expect(await cache.get("c")).toBe(3);
    await cache.close();
  });

  it("memory bus rejects a subscription whose stream is not in the manifest, naming the key", () => {
    expect(() =>
      createMemoryEventBus({ kind: "memory", streams: {}, subscriptions: { s: { stream: "ghost", subscription: "s", maxDeliveryAttempts: 5, ackDeadlineSeconds: 10 } } }),
    ).toThrow(/subscriptions\.s\.stream is "ghost"/);
  });

  it("memory bus redelivers a delivery that outlives the maximum ack extension", async () => {
    const bus = createMemoryEventBus(
      { kind: "memory", streams: { s: { topic: "t", deadLetterTopic: "d" } }, subscriptions: { s: { stream: "s", subscription: "s", maxDeliveryAttempts: 5, ackDeadlineSeconds: 1 } } },
      { maxAckExtensionMs: 1000 },
    );
    const attempts: number[] = [];
    await bus.subscribe("s", async (d) => {
      attempts.push(d.attempt);
      if (d.attempt === 1) await new Promise((r) => setTimeout(r, 1500)); // longer than the maximum extension: counts as a nack
    });
    await bus.publish("s", { id: "e1", type: "t", data: null });
    await new Promise((r) => setTimeout(r, 2000));
    expect(attempts).toEqual([1, 2]);
    await bus.close();
  });

  it("pglite keeps the data in its folder across restarts", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hp-pglite-"));
    const first = await createPgliteWriteStore({ kind: "pglite", dataDir });
    await first.save({ type: "Property", id: "p1", expectedVersion: 0, state: { name: "Elm" }, events: [] });
    await first.close();
    const second = await createPgliteWriteStore({ kind: "pglite", dataDir });
    expect(await second.load("Property", "p1")).toMatchObject({ version: 1, state: { name: "Elm" } });
    await second.close();
  });
});
