/**
 * One PGlite instance per dataDir per process, shared by the write and read
 * stores (a folder can be opened once) and closed when the last user closes.
 */
import type { PGlite } from "@electric-sql/pglite";
import type { SqlClient, SqlExecutor } from "../sql/client";

interface Shared {
  readonly db: Promise<PGlite>;
  users: number;
}

const open = new Map<string, Shared>();

/** Opens (or joins) the database of `dataDir`; call the returned release() once. */
export async function acquirePglite(dataDir: string): Promise<{ db: PGlite; release: () => Promise<void> }> {
  let shared = open.get(dataDir);
  if (!shared) {
    const db = (async () => {
      // Loaded lazily: other profiles never pay for the WASM module.
      const { PGlite: Ctor } = require("@electric-sql/pglite") as typeof import("@electric-sql/pglite");
      const instance = new Ctor(dataDir);
      await instance.waitReady;
      return instance;
    })();
    shared = { db, users: 0 };
    open.set(dataDir, shared);
    db.catch(() => open.delete(dataDir));
  }
  shared.users += 1;
  const s = shared;
  const db = await s.db;
  let released = false;
  return {
    db,
    release: async () => {
      if (released) return;
      released = true;
      s.users -= 1;
      if (s.users === 0) {
        open.delete(dataDir);
        await db.close();
      }
    },
  };
}

export function pgliteClient(db: PGlite): SqlClient {
  const wrap = (q: { query: PGlite["query"] }): SqlExecutor => ({
    query: async <R extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) => (await q.query<R>(sql, params as unknown[])).rows,
  });
  return {
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    exec: async (sql) => {
      await db.exec(sql);
    },
  };
}
