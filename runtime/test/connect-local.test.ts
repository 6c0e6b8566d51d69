import { connect } from "../src/connect";
import { localManifest } from "./backends";

describe("connect portable-local", () => {
  it("connects Kafka, PostgreSQL, ClickHouse and Redis from the local manifest, provisions the topics, and closes", async () => {
    const rt = await connect(localManifest("portable-local"), { telemetry: { sink: () => undefined } });
    expect([rt.bus.kind, rt.writeStore.kind, rt.readStore.kind, rt.cache.kind]).toEqual(["kafka", "postgres", "clickhouse", "redis"]);
    await rt.cache.set("connect-local-test", 1, 1000);
    expect(await rt.cache.get("connect-local-test")).toBe(1);
    await rt.close();
  });
});

describe("connect gcp-emulated", () => {
  it("connects Pub/Sub, Datastore, Spanner (emulators) and Redis from the local manifest, and closes", async () => {
    const rt = await connect(localManifest("gcp-emulated"), { telemetry: { sink: () => undefined } });
    expect([rt.bus.kind, rt.writeStore.kind, rt.readStore.kind, rt.cache.kind]).toEqual(["pubsub", "datastore", "spanner", "redis"]);
    await rt.close();
  });
});
