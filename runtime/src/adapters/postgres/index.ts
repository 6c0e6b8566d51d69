/**
 * WriteStore on PostgreSQL (pg): optimistic concurrency by expected version,
 * transactional outbox in the same transaction (see ../sql/writestore).
 */
import type { Pool, PoolClient } from "pg";
import { backendUnreachable } from "../../errors";
import type { WriteStoreManifest } from "../../manifest/schema";
import type { SqlClient, SqlExecutor } from "../sql/client";
import { SqlWriteStore, writeStoreDdl } from "../sql/writestore";
import { postgresSettings, type PostgresOptions, type PostgresSettings } from "./settings";

export * from "./settings";

function executor(q: Pool | PoolClient): SqlExecutor {
  return {
    query: async <R extends Record<string, unknown>>(sql: string, params: readonly unknown[] = [], name?: string) =>
      (await q.query(name ? { name, text: sql, values: params as unknown[] } : { text: sql, values: params as unknown[] })).rows as R[],
  };
}

export function pgClient(pool: Pool): SqlClient {
  return {
    ...executor(pool),
    transaction: async (fn) => {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        const result = await fn(executor(c));
        await c.query("COMMIT");
        return result;
      } catch (e) {
        await c.query("ROLLBACK").catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
  };
}

export function createPgPool(s: PostgresSettings): Pool {
  const { Pool: PgPool } = require("pg") as typeof import("pg");
  const pool = new PgPool({
    host: s.host,
    port: s.port,
    database: s.database,
    user: s.user,
    ...(s.password !== undefined ? { password: s.password } : {}),
    ssl: s.ssl ? { rejectUnauthorized: true, ...(s.ca !== undefined ? { ca: s.ca } : {}) } : false,
    max: s.maxConnections,
    connectionTimeoutMillis: s.connectTimeoutMs,
  });
  pool.on("error", () => undefined); // an idle client's error surfaces on the next query
  return pool;
}

export async function createPostgresWriteStore(manifest: Extract<WriteStoreManifest, { kind: "postgres" }>, options: PostgresOptions = {}): Promise<SqlWriteStore> {
  const s = postgresSettings(manifest, options);
  const pool = createPgPool(s);
  const client = pgClient(pool);
  try {
    // Tables are created once per schema; the advisory lock keeps parallel starts from racing.
    await client.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('hexproperty-writestore-ddl'))");
      await tx.query(writeStoreDdl(s.schema));
    });
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw backendUnreachable("write store", "postgres", `${s.host}:${s.port}/${s.database}`, e);
  }
  return new SqlWriteStore("postgres", client, s.schema, () => pool.end());
}
