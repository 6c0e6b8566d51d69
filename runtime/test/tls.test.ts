/**
 * TLS to a server whose certificate is signed by a private CA (defect 10):
 * a private PostgreSQL with a CA made on the spot; the manifest carries the CA
 * as a reference, like passwords.
 */
import { createPgPool, createPostgresWriteStore, postgresSettings } from "../src/adapters/postgres";
import { validateManifest } from "../src/manifest/schema";
import { embeddedManifest } from "./fixtures/manifests";
import { startPrivatePostgres, type PrivatePostgres } from "./support/private-postgres";

describe("TLS with a private CA (postgres write store)", () => {
  let server: PrivatePostgres;
  beforeAll(async () => {
    server = await startPrivatePostgres({ tls: true });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const manifest = (withCa: boolean) =>
    ({
      kind: "postgres" as const,
      host: "127.0.0.1",
      port: server.port,
      database: "postgres",
      user: "postgres",
      ssl: true,
      ...(withCa ? { ca: { kind: "env" as const, env: "HP_TEST_PG_CA" } } : {}),
    });

  it("accepts a CA reference in the manifest's TLS sections (additive, optional)", () => {
    const ca = { kind: "kubernetes-secret" as const, name: "pg-ca", key: "ca.crt", env: "PG_CA" };
    const m = embeddedManifest({
      writeStore: { kind: "postgres", host: "db", port: 5432, database: "d", user: "u", ssl: true, ca },
      cache: { kind: "redis", host: "r", port: 6379, tls: true, ca, keyPrefix: "" },
      readStore: { kind: "clickhouse", url: "https://ch:8443", database: "d", user: "u", ca },
    });
    expect(validateManifest(m).ok).toBe(true);
  });

  it("connects over TLS, verifying the server against the CA from the manifest", async () => {
    const store = await createPostgresWriteStore(manifest(true), { env: { HP_TEST_PG_CA: server.caPem }, schema: "tls_test" });
    try {
      await store.save({ type: "T", id: "1", expectedVersion: 0, state: { ok: true }, events: [] });
      expect(await store.load("T", "1")).toMatchObject({ version: 1 });
    } finally {
      await store.close();
    }
    // and the connection really is encrypted
    const pool = createPgPool(postgresSettings(manifest(true), { env: { HP_TEST_PG_CA: server.caPem } }));
    try {
      const rows = (await pool.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).rows as { ssl: boolean }[];
      expect(rows[0]?.ssl).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it("without the CA the same server is rejected (the system trust store does not know it)", async () => {
    await expect(createPostgresWriteStore(manifest(false), { connectTimeoutMs: 5000 })).rejects.toThrow(/certificate|UNABLE_TO_VERIFY/i);
  });
});
