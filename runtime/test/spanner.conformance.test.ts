/**
 * Runs the ReadStore conformance suite, unchanged, against the Spanner adapter
 * on Google's Spanner emulator (gcp-emulated manifest written by
 * `npm run backends:up`, which also creates the instance and database).
 * Every run gets its own table prefix.
 */
import { createSpannerReadStore } from "../src/adapters/spanner";
import { localManifest } from "./backends";
import { uniqueRunId } from "./conformance/util";
import { describeReadStoreConformance } from "./conformance/readstore";

const manifest = localManifest("gcp-emulated");
if (manifest.readStore.kind !== "spanner") throw new Error(`gcp-emulated manifest: readStore.kind is "${manifest.readStore.kind}", expected "spanner"`);
const rs = manifest.readStore;

describeReadStoreConformance("spanner (emulator)", async () => createSpannerReadStore(rs, { tablePrefix: `conf_${uniqueRunId()}_` }));
