import { createClickHouseReadStore } from "../src/adapters/clickhouse";
import { localManifest } from "./backends";
import { describeReadStoreConformance } from "./conformance/readstore";
import { uniqueRunId } from "./conformance/util";

const manifest = localManifest("portable-local");
if (manifest.readStore.kind !== "clickhouse") throw new Error("portable-local manifest: readStore.kind is not clickhouse");
const rs = manifest.readStore;

describeReadStoreConformance("clickhouse", () => createClickHouseReadStore(rs, { tablePrefix: `conf_${uniqueRunId()}_`, dropTablesOnClose: true }));
