/**
 * Datastore WriteStore behaviour beyond the conformance suite, on Google's
 * Datastore emulator (gcp-emulated manifest, npm run backends:up).
 */
import { Datastore } from "@google-cloud/datastore";
import { createDatastoreWriteStore } from "../src/adapters/datastore";
import type { PendingEvent } from "../src/ports";
import { localManifest } from "./backends";
import { uniqueRunId } from "./conformance/util";

const manifest = localManifest("gcp-emulated");
if (manifest.writeStore.kind !== "datastore") throw new Error(`gcp-emulated manifest: writeStore.kind is "${manifest.writeStore.kind}", expected "datastore"`);
const ws = manifest.writeStore;

const event = (id: string): PendingEvent => ({ id, stream: "property", type: "property.Changed", data: { id } });

describe("datastore write store (emulator)", () => {
  it("keeps an aggregate's later events waiting behind its parked entry however many entries are parked (more than one query page)", async () => {
    // Given a store with 10,000 parked entries of other aggregates ahead of everything else (written directly, 500 per commit)
    const run = uniqueRunId();
    const namespace = `park-${run}`;
    const store = createDatastoreWriteStore(ws, { namespace });
    const admin = new Datastore({ projectId: ws.projectId, apiEndpoint: ws.emulatorHost, namespace });
    const FILLERS = 10_000;
    try {
      for (let i = 0; i < FILLERS; i += 500) {
        await admin.upsert(
          Array.from({ length: 500 }, (_, j) => ({
            key: admin.key(["ParkedOutbox", `0-filler-${String(i + j).padStart(6, "0")}`]),
            data: { aggregateType: "Filler", aggregateId: `f${i + j}`, reason: "seeded", parkedAt: new Date() },
          })),
        );
      }
      await store.save({ type: "Property", id: "a", expectedVersion: 0, state: {}, events: [event(`${run}-a1`)] });
      await store.save({ type: "Property", id: "a", expectedVersion: 1, state: {}, events: [event(`${run}-a2`)] });
      const a1 = (await store.pendingOutbox(10)).find((e) => e.event.id === `${run}-a1`)!;
      // When a1 is parked (the 10,001st parked entry in key order)
      await store.parkOutbox(a1.position, "kept failing");
      // Then a2 waits behind it
      expect((await store.pendingOutbox(10)).map((e) => e.event.id)).toEqual([]);
      // And unparking all returns every parked entry, a1 and a2 flow again in order
      expect(await store.unparkOutbox()).toBe(FILLERS + 1);
      expect((await store.pendingOutbox(10)).map((e) => e.event.id)).toEqual([`${run}-a1`, `${run}-a2`]);
    } finally {
      await store.close();
    }
  }, 120_000);
});
