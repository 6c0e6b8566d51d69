import type { WriteStoreManifest } from "../../manifest/schema";
import { resolveSecret } from "../../secrets";
import { caOnlyWithTls, checkSettings, intAtLeast } from "../rules";
import { checkIdentifier } from "../sql/client";

/** Settings of the PostgreSQL WriteStore, derived from manifest.writeStore. */
export interface PostgresSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string | undefined;
  readonly ssl: boolean;
  /** PEM of the private CA that signed the server certificate (manifest `ca`); undefined: the system trust store. */
  readonly ca: string | undefined;
  /** Schema holding the tables. @default "public" */
  readonly schema: string;
  /** Pool size. @default 10 */
  readonly maxConnections: number;
  /** Connect timeout. @default 5000 ms */
  readonly connectTimeoutMs: number;
}

export interface PostgresOptions {
  readonly schema?: string;
  readonly maxConnections?: number;
  readonly connectTimeoutMs?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function postgresSettings(m: Extract<WriteStoreManifest, { kind: "postgres" }>, o: PostgresOptions = {}): PostgresSettings {
  const s: PostgresSettings = {
    host: m.host,
    port: m.port,
    database: m.database,
    user: m.user,
    password: m.password ? resolveSecret(m.password, "postgres write store password", o.env) : undefined,
    ssl: m.ssl,
    ca: m.ca ? resolveSecret(m.ca, "postgres write store CA certificate", o.env) : undefined,
    schema: o.schema ?? "public",
    maxConnections: o.maxConnections ?? 10,
    connectTimeoutMs: o.connectTimeoutMs ?? 5000,
  };
  checkSettings("postgres write store", [
    { ok: checkIdentifier(s.schema), key: "schema", value: s.schema, allowed: "lower-case letters, digits and '_', starting with a letter or '_'" },
    intAtLeast("maxConnections", s.maxConnections, 1),
    caOnlyWithTls(m.ca, m.ssl, "only with ssl: true"),
  ]);
  return s;
}
