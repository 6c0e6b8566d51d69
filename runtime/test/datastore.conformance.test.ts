/**
 * Runs the WriteStore conformance suite, unchanged, against the Datastore
 * adapter on Google's Datastore emulator (gcp-emulated manifest written by
 * `npm run backends:up`). Every store gets its own namespace.
 */
import { createDatastoreWriteStore } from "../src/adapters/datastore";
import { localManifest } from "./backends";
import { uniqueRunId } from "./conformance/util";
import { describeWriteStoreConformance } from "./conformance/writestore";

const manifest = localManifest("gcp-emulated");
if (manifest.writeStore.kind !== "datastore") throw new Error(`gcp-emulated manifest: writeStore.kind is "${manifest.writeStore.kind}", expected "datastore"`);
const ws = manifest.writeStore;
let n = 0;

describeWriteStoreConformance("datastore (emulator)", async () => createDatastoreWriteStore(ws, { namespace: `conf-${uniqueRunId()}-${++n}` }));
