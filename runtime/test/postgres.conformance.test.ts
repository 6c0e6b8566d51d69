import { createPostgresWriteStore } from "../src/adapters/postgres";
import { localManifest } from "./backends";
import { uniqueRunId } from "./conformance/util";
import { describeWriteStoreConformance } from "./conformance/writestore";

const manifest = localManifest("portable-local");
if (manifest.writeStore.kind !== "postgres") throw new Error("portable-local manifest: writeStore.kind is not postgres");
const ws = manifest.writeStore;
let n = 0;

describeWriteStoreConformance("postgres", () => createPostgresWriteStore(ws, { schema: `conf_${uniqueRunId()}_${++n}`, maxConnections: 6 }));
