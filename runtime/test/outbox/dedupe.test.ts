import { EventDeduplicator, memoryDedupeStore } from "../../src/outbox/dedupe";

describe("EventDeduplicator (defect 1)", () => {
  it("runs the work once for two concurrent once() calls of one id", async () => {
    // Given a store whose lookups take a moment (like a shared cache)
    const base = memoryDedupeStore();
    const store = { has: async (id: string) => (await new Promise((r) => setTimeout(r, 5)), base.has(id)), add: base.add };
    const dedupe = new EventDeduplicator(store);
    let runs = 0;
    const work = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 10));
    };
    // When two deliveries of e1 arrive at once
    const outcomes = await Promise.all([dedupe.once("e1", work), dedupe.once("e1", work)]);
    // Then the work ran once, and the other call is a duplicate
    expect(runs).toBe(1);
    expect(outcomes.sort()).toEqual(["duplicate", "processed"]);
  });

  it("does not remember an id whose work failed: the redelivery processes it", async () => {
    const dedupe = new EventDeduplicator();
    await expect(dedupe.once("e1", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    let ran = false;
    await expect(dedupe.once("e1", async () => void (ran = true))).resolves.toBe("processed");
    expect(ran).toBe(true);
  });

  it("a memory window of N holds exactly the last N ids", async () => {
    const store = memoryDedupeStore(3);
    for (const id of ["a", "b", "c", "d"]) await store.add(id);
    expect(await Promise.all(["a", "b", "c", "d"].map((id) => store.has(id)))).toEqual([false, true, true, true]);
    await store.add("e");
    expect(await store.has("b")).toBe(false);
    expect(await store.has("e")).toBe(true);
  });

  it("rejects a window smaller than 1", () => {
    expect(() => memoryDedupeStore(0)).toThrow(/maxEntries/);
  });
});
