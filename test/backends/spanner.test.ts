import { credentials } from "@grpc/grpc-js";
import { Spanner } from "@google-cloud/spanner";
import { expectKind, loadLocalManifest, withoutMetadataServer, splitHostPort, uniqueName } from "./support";

/**
 * The emulator (1.5.28 in the Google Cloud CLI 528) ignores `multiplexed: true`
 * when creating a session, and @google-cloud/spanner 8.4 then tries to return
 * that session to its pool and fails ("Unable to release unknown resource").
 * Regular pooled sessions work; the client reads this switch when a Database
 * object is created.
 */
function withoutMultiplexedSessions<T>(create: () => T): T {
  const before = process.env.GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS;
  process.env.GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS = "false";
  try {
    return create();
  } finally {
    if (before === undefined) delete process.env.GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS;
    else process.env.GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS = before;
  }
}

withoutMetadataServer();

describe("local Spanner emulator", () => {
  const store = expectKind(loadLocalManifest("gcp-emulated").readStore, "spanner", "gcp-emulated readStore");
  if (!store.emulatorHost) throw new Error("gcp-emulated readStore has no emulatorHost");
  const { host, port } = splitHostPort(store.emulatorHost);
  const spanner = new Spanner({ projectId: store.projectId, servicePath: host, port, sslCreds: credentials.createInsecure() });
  const database = withoutMultiplexedSessions(() => spanner.instance(store.instance).database(store.database));

  afterAll(async () => {
    await database.close();
    spanner.close();
  });

  it("Given the instance and database that up created, When DDL then an insert run, Then a query returns the row", async () => {
    const table = uniqueName("Smoke");
    const [operation] = await database.updateSchema([`CREATE TABLE ${table} (Id STRING(36) NOT NULL, N INT64) PRIMARY KEY (Id)`]);
    await operation.promise();
    try {
      await database.table(table).insert([{ Id: "a", N: 42 }]);
      const [rows] = await database.run({ sql: `SELECT Id, N FROM ${table} WHERE Id = @id`, params: { id: "a" }, json: true });
      expect(rows).toEqual([{ Id: "a", N: 42 }]);
    } finally {
      const [drop] = await database.updateSchema([`DROP TABLE ${table}`]);
      await drop.promise();
    }
  });
});
