import { acquirePglite, createPgliteReadStore, createPgliteWriteStore } from "../src/adapters/pglite";
import { describeReadStoreConformance } from "./conformance/readstore";
import { uniqueRunId } from "./conformance/util";
import { describeWriteStoreConformance } from "./conformance/writestore";

// One in-memory database for the whole file (opening one takes seconds); each
// factory call gets a fresh schema in it.
const dataDir = "memory://";
let hold: { release: () => Promise<void> } | undefined;
beforeAll(async () => {
  hold = await acquirePglite(dataDir);
}, 60_000);
afterAll(async () => {
  await hold?.release();
});

let n = 0;
const schema = () => `conf_${uniqueRunId()}_${++n}`;

describeWriteStoreConformance("pglite", () => createPgliteWriteStore({ kind: "pglite", dataDir }, { schema: schema() }));
describeReadStoreConformance("pglite", () => createPgliteReadStore({ kind: "pglite", dataDir }, { schema: schema() }));
