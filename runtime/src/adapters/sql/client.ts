/**
 * The little a Postgres-dialect WriteStore needs from a driver, so that the
 * pg adapter and the PGlite adapter share one implementation of the SQL.
 */
export interface SqlExecutor {
  /** `name`: a statement run often may be prepared once per connection under this name (drivers that can). */
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: readonly unknown[], name?: string): Promise<R[]>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
}

/** A Postgres identifier for a schema: lower-case letters, digits, '_'. */
export function checkIdentifier(value: string): boolean {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(value);
}

/** SQLSTATE of a driver error, if any. */
export function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
