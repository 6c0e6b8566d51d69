import type { ReadStoreManifest } from "../../manifest/schema";
import { resolveSecret } from "../../secrets";
import { caOnlyWithTls, checkSettings } from "../rules";

/** Settings of the ClickHouse ReadStore, derived from manifest.readStore (kind clickhouse). */
export interface ClickHouseSettings {
  readonly url: string;
  readonly database: string;
  readonly user: string;
  readonly password: string | undefined;
  /** PEM of the private CA that signed the server certificate of an https url (manifest `ca`); undefined: the system trust store. */
  readonly ca: string | undefined;
  /** Prefix of the table names (tests: one per run). @default "hp_" */
  readonly tablePrefix: string;
  /** Drop the tables on close (tests only). @default false */
  readonly dropTablesOnClose: boolean;
  /** Request timeout. @default 10000 ms */
  readonly requestTimeoutMs: number;
}

export interface ClickHouseOptions {
  readonly tablePrefix?: string;
  readonly dropTablesOnClose?: boolean;
  readonly requestTimeoutMs?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function clickHouseSettings(m: Extract<ReadStoreManifest, { kind: "clickhouse" }>, o: ClickHouseOptions = {}): ClickHouseSettings {
  const s: ClickHouseSettings = {
    url: m.url,
    database: m.database,
    user: m.user,
    password: m.password ? resolveSecret(m.password, "clickhouse read store password", o.env) : undefined,
    ca: m.ca ? resolveSecret(m.ca, "clickhouse read store CA certificate", o.env) : undefined,
    tablePrefix: o.tablePrefix ?? "hp_",
    dropTablesOnClose: o.dropTablesOnClose ?? false,
    requestTimeoutMs: o.requestTimeoutMs ?? 10_000,
  };
  const identifier = "letters, digits and '_', not starting with a digit";
  checkSettings("clickhouse read store", [
    { ok: /^[A-Za-z_][A-Za-z0-9_]*$/.test(s.tablePrefix), key: "tablePrefix", value: s.tablePrefix, allowed: identifier },
    { ok: /^[A-Za-z_][A-Za-z0-9_]*$/.test(s.database), key: "database", value: s.database, allowed: identifier },
    caOnlyWithTls(m.ca, s.url.startsWith("https:"), "only with an https url"),
  ]);
  return s;
}
