/**
 * Typed settings of the Spanner read store: the manifest's `readStore`
 * section (kind "spanner") plus adapter options, with defaults and checks.
 */
import type { ReadStoreManifest } from "../../manifest/schema";
import { checkSettings } from "../rules";

export type SpannerManifest = Extract<ReadStoreManifest, { kind: "spanner" }>;

export interface SpannerReadStoreOptions {
  /** Prefix of the table and index names (tests use one per run). @default - none: tables `units` and `applied_events` */
  readonly tablePrefix?: string;
  /**
   * Create the instance and database when they are missing. Only honoured
   * against the emulator; in the cloud the stack provisions them.
   * @default true
   */
  readonly createDatabaseIfMissing?: boolean;
}

export interface SpannerSettings {
  readonly projectId: string;
  readonly instance: string;
  readonly database: string;
  readonly emulatorHost: string | undefined;
  readonly tablePrefix: string;
  readonly createDatabaseIfMissing: boolean;
}

const ADAPTER = "spanner read store";

export function spannerSettings(manifest: SpannerManifest, options: SpannerReadStoreOptions = {}): SpannerSettings {
  const settings: SpannerSettings = {
    projectId: manifest.projectId,
    instance: manifest.instance,
    database: manifest.database,
    emulatorHost: manifest.emulatorHost,
    tablePrefix: options.tablePrefix ?? "",
    createDatabaseIfMissing: options.createDatabaseIfMissing ?? true,
  };
  const rules = [
    { ok: /^$|^[A-Za-z][A-Za-z0-9_]{0,60}$/.test(settings.tablePrefix), key: "tablePrefix", value: settings.tablePrefix, allowed: "empty, or up to 61 letters, digits and '_', starting with a letter" },
    { ok: /^[a-z][a-z0-9-]{1,62}[a-z0-9]$/.test(settings.instance), key: "instance", value: settings.instance, allowed: "3-64 lower-case letters, digits and '-', starting with a letter" },
    { ok: /^[a-z][a-z0-9_-]{0,28}[a-z0-9]$/.test(settings.database), key: "database", value: settings.database, allowed: "2-30 lower-case letters, digits, '_' and '-', starting with a letter" },
  ];
  checkSettings(ADAPTER, rules);
  return settings;
}
