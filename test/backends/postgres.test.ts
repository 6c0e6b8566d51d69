import { Client } from "pg";
import { expectKind, loadLocalManifest, uniqueName } from "./support";

describe("local PostgreSQL", () => {
  const store = expectKind(loadLocalManifest("portable-local").writeStore, "postgres", "portable-local writeStore");
  const client = new Client({ host: store.host, port: store.port, database: store.database, user: store.user, ssl: store.ssl });

  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it("Given the manifest's connection, When querying, Then the database answers as the hexproperty user", async () => {
    const result = await client.query<{ db: string; who: string; one: number }>("select current_database() as db, current_user as who, 1 as one");
    expect(result.rows[0]).toEqual({ db: "hexproperty", who: "hexproperty", one: 1 });
  });

  it("Given a fresh table, When a row is inserted, Then it reads back", async () => {
    const table = uniqueName("smoke");
    await client.query(`create table ${table} (id text primary key, n integer not null)`);
    try {
      await client.query(`insert into ${table} (id, n) values ($1, $2)`, ["a", 42]);
      const result = await client.query<{ n: number }>(`select n from ${table} where id = $1`, ["a"]);
      expect(result.rows).toEqual([{ n: 42 }]);
    } finally {
      await client.query(`drop table ${table}`);
    }
  });
});
