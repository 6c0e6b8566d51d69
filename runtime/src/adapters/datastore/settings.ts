/**
 * Typed settings of the Datastore write store: the manifest's `writeStore`
 * section (kind "datastore") plus adapter options, with defaults and checks.
 */
import type { WriteStoreManifest } from "../../manifest/schema";
import { checkSettings } from "../rules";

export type DatastoreManifest = Extract<WriteStoreManifest, { kind: "datastore" }>;

export interface DatastoreWriteStoreOptions {
  /** Namespace for all kinds; overrides the manifest's (tests use one per run). @default - the manifest's namespace, or the default namespace */
  readonly namespace?: string;
  /** Times a transaction aborted by contention is retried before the error is thrown. @default 10 */
  readonly maxTransactionRetries?: number;
}

export interface DatastoreSettings {
  readonly projectId: string;
  /** undefined for the default database. */
  readonly databaseId: string | undefined;
  readonly namespace: string | undefined;
  readonly emulatorHost: string | undefined;
  readonly maxTransactionRetries: number;
}

const ADAPTER = "datastore write store";

export function datastoreSettings(manifest: DatastoreManifest, options: DatastoreWriteStoreOptions = {}): DatastoreSettings {
  const namespace = options.namespace ?? manifest.namespace;
  const settings: DatastoreSettings = {
    projectId: manifest.projectId,
    databaseId: manifest.databaseId === "(default)" ? undefined : manifest.databaseId,
    namespace: namespace === "" ? undefined : namespace,
    emulatorHost: manifest.emulatorHost,
    maxTransactionRetries: options.maxTransactionRetries ?? 10,
  };
  const rules = [
    {
      ok: settings.namespace === undefined || /^[0-9A-Za-z._-]{1,100}$/.test(settings.namespace),
      key: "namespace",
      value: settings.namespace,
      allowed: "1 to 100 of letters, digits, '.', '_' and '-'",
    },
    {
      ok: settings.databaseId === undefined || /^[a-z][a-z0-9-]{2,62}$/.test(settings.databaseId),
      key: "databaseId",
      value: manifest.databaseId,
      allowed: '"(default)" or 3-63 lower-case letters, digits and \'-\', starting with a letter',
    },
    { ok: Number.isInteger(settings.maxTransactionRetries) && settings.maxTransactionRetries >= 0, key: "maxTransactionRetries", value: settings.maxTransactionRetries, allowed: "an integer >= 0" },
  ];
  checkSettings(ADAPTER, rules);
  return settings;
}
