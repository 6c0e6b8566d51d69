import { createClient } from "@clickhouse/client";
import { expectKind, loadLocalManifest, uniqueName } from "./support";

describe("local ClickHouse", () => {
  const store = expectKind(loadLocalManifest("portable-local").readStore, "clickhouse", "portable-local readStore");
  const client = createClient({ url: store.url, username: store.user, password: "", database: store.database });

  afterAll(() => client.close());

  it("Given the manifest's URL, When pinged, Then the HTTP interface answers", async () => {
    expect(await client.ping()).toMatchObject({ success: true });
  });

  it("Given a fresh MergeTree table, When rows are inserted as JSONEachRow, Then SELECT returns them", async () => {
    const table = uniqueName("smoke");
    await client.command({ query: `CREATE TABLE ${table} (id String, n UInt32) ENGINE = MergeTree ORDER BY id` });
    try {
      await client.insert({ table, values: [{ id: "a", n: 1 }, { id: "b", n: 2 }], format: "JSONEachRow" });
      const rows = await (await client.query({ query: `SELECT id, n FROM ${table} ORDER BY id`, format: "JSONEachRow" })).json<{ id: string; n: number }>();
      expect(rows).toEqual([{ id: "a", n: 1 }, { id: "b", n: 2 }]);
    } finally {
      await client.command({ query: `DROP TABLE ${table}` });
    }
  });
});
