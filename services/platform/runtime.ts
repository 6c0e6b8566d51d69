/**
 * How a service process connects: the manifest (HEXPROPERTY_MANIFEST /
 * _MANIFEST_FILE / _OUTPUTS_FILE, through the runtime), one runtime per
 * process, and one write store per service in it (each service owns its
 * aggregates and its outbox: schema "<service>" on PostgreSQL/PGlite,
 * namespace "<service>" on Datastore).
 *
 * HEXPROPERTY_NAMESPACE (optional) puts everything a process writes under a
 * prefix: write-store schemas/namespaces, read-model tables and cache keys.
 * Tests use one per run so they share the local servers without seeing each
 * other; deployments leave it unset.
 */
import { connect, isConcurrencyError, loadManifestWithSource, type ConnectOptions, type Runtime, type WriteStore } from "@hexproperty/runtime";
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import { StorageConflict, type AggregateStorage } from "../kernel/application/aggregates";
import type { Json } from "../kernel/domain/events";
import type { ServiceName } from "./spec";

export interface ProcessSettings {
  readonly namespace: string | undefined;
  readonly flagsPollMs: number;
}

export function processSettings(env: NodeJS.ProcessEnv = process.env): ProcessSettings {
  const ns = env.HEXPROPERTY_NAMESPACE || undefined;
  if (ns !== undefined && !/^[a-z][a-z0-9_]{0,30}$/.test(ns)) {
    throw new Error(`HEXPROPERTY_NAMESPACE=${JSON.stringify(ns)} is not allowed; use 1-31 lower-case letters, digits and '_', starting with a letter`);
  }
  const poll = Number(env.HEXPROPERTY_FLAGS_POLL_MS ?? 2000);
  if (!Number.isInteger(poll) || poll < 50) throw new Error(`HEXPROPERTY_FLAGS_POLL_MS=${JSON.stringify(env.HEXPROPERTY_FLAGS_POLL_MS)} is not allowed; use a whole number of milliseconds >= 50`);
  return { namespace: ns, flagsPollMs: poll };
}

/** Connects the process's runtime; `ports`: the backends its services use (the others are never opened). @default every port */
export async function connectProcess(serviceName: string, settings: ProcessSettings = processSettings(), ports?: ConnectOptions["ports"]): Promise<Runtime> {
  const { manifest, source } = loadManifestWithSource();
  const ns = settings.namespace;
  const options: ConnectOptions = {
    manifestSource: source,
    ...(ports ? { ports } : {}),
    telemetry: { serviceName },
    flags: { pollMs: settings.flagsPollMs },
    adapters: {
      pglite: { schema: ns ?? "public" },
      postgres: { schema: ns ?? "public", maxConnections: 2 },
      clickhouse: ns ? { tablePrefix: `${ns}_` } : {},
      spanner: ns ? { tablePrefix: ns } : {},
      datastore: ns ? { namespace: ns } : {},
      redis: ns ? { namespace: ns } : {},
      kafka: { sessionTimeoutMs: 6000, heartbeatIntervalMs: 500 },
    },
  };
  return connect(manifest, options);
}

/** The write store a service owns (its aggregates and its outbox). */
export async function openServiceWriteStore(m: RuntimeManifest["writeStore"], service: ServiceName, settings: ProcessSettings): Promise<WriteStore> {
  const name = settings.namespace ? `${settings.namespace}_${service}` : service;
  let store: WriteStore;
  switch (m.kind) {
    case "pglite":
      store = await (require("@hexproperty/runtime/adapters/pglite") as typeof import("@hexproperty/runtime/adapters/pglite")).createPgliteWriteStore(m, { schema: name });
      break;
    case "postgres":
      store = await (require("@hexproperty/runtime/adapters/postgres") as typeof import("@hexproperty/runtime/adapters/postgres")).createPostgresWriteStore(m, { schema: name, maxConnections: 8 });
      break;
    case "datastore":
      store = (require("@hexproperty/runtime/adapters/datastore") as typeof import("@hexproperty/runtime/adapters/datastore")).createDatastoreWriteStore(m, { namespace: name.replace(/_/g, "-") });
      break;
  }
  await store.ping();
  return store;
}

/** The application's view of a write store: the runtime's ConcurrencyError becomes StorageConflict. */
export function aggregateStorage(store: WriteStore): AggregateStorage {
  return {
    load: async (type, id) => store.load(type, id) as Promise<{ version: number; state: { [key: string]: Json } } | undefined>,
    save: async (request) => {
      try {
        return await store.save(request);
      } catch (e) {
        if (isConcurrencyError(e)) throw new StorageConflict(e.message);
        throw e;
      }
    },
  };
}
