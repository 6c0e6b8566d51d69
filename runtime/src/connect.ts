/**
 * connect(manifest): picks one adapter per port by the manifest's kinds,
 * pings each (one clear line naming the backend when one does not answer),
 * and returns them with one close() for all.
 *
 * `ports` limits it to the ports a service uses: on a least-privilege
 * deployment a service holds no grant (and no mounted secret) for a store it
 * does not use, so opening or pinging that store would keep it from starting.
 * An unlisted port is never opened; any use of it fails with one line.
 *
 * Adapters are loaded with require() only when their kind is selected, so the
 * embedded profile never loads kafkajs, pg, gRPC or the Google clients.
 */
import { oneLine, RuntimeError, unsupportedKind } from "./errors";
import type { FlagsOptions } from "./flags";
import type { ManifestSource } from "./manifest/load";
import { RUNTIME_PORTS, type RuntimePort } from "./manifest/ports";
import type { CacheManifest, EventBusManifest, ReadStoreManifest, RuntimeManifest, WriteStoreManifest } from "./manifest/schema";
import { hasTopologyProvisioner, type Cache, type EventBus, type Flags, type ReadStore, type Telemetry, type WriteStore } from "./ports";
import type { TelemetryOptions } from "./telemetry";

export type { RuntimePort } from "./manifest/ports";

export interface ConnectOptions {
  /**
   * The ports to open and ping; the others are not opened, and any use of
   * one (a method call, ping included) throws HEXPROPERTY_PORT_NOT_CONNECTED.
   * @default every port
   */
  readonly ports?: readonly RuntimePort[];
  /** Telemetry options (service name, log sink, extra exporters). */
  readonly telemetry?: TelemetryOptions;
  /** Where the manifest came from: a file source is watched for flag changes. @default flags are fixed */
  readonly manifestSource?: ManifestSource;
  readonly flags?: Omit<FlagsOptions, "source">;
  /**
   * Create the streams' topics (and subscriptions) if missing. The stacks do it
   * in the cloud; local profiles need it.
   * @default true for the embedded, portable-local and gcp-emulated stacks, false otherwise
   */
  readonly provisionTopology?: boolean;
  /** Per-adapter options, passed through unchanged (e.g. { kafka: { partitions: 6 } }). */
  readonly adapters?: {
    readonly memoryBus?: import("./adapters/memory").MemoryEventBusOptions;
    readonly kafka?: import("./adapters/kafka/settings").KafkaOptions;
    readonly pubsub?: import("./adapters/pubsub/settings").PubSubEventBusOptions;
    readonly datastore?: import("./adapters/datastore/settings").DatastoreWriteStoreOptions;
    readonly spanner?: import("./adapters/spanner/settings").SpannerReadStoreOptions;
    readonly postgres?: import("./adapters/postgres/settings").PostgresOptions;
    readonly pglite?: import("./adapters/pglite/settings").PgliteOptions;
    readonly clickhouse?: import("./adapters/clickhouse/settings").ClickHouseOptions;
    readonly redis?: import("./adapters/redis/settings").RedisOptions;
  };
}

export interface Runtime {
  readonly manifest: RuntimeManifest;
  readonly bus: EventBus;
  readonly writeStore: WriteStore;
  readonly readStore: ReadStore;
  readonly cache: Cache;
  readonly telemetry: Telemetry;
  readonly flags: Flags;
  /** Closes every adapter (idempotent); the bus first, so in-flight handlers can still write. */
  close(): Promise<void>;
}

const LOCAL_STACKS = new Set<RuntimeManifest["stack"]>(["embedded", "portable-local", "gcp-emulated"]);

/** How messages name each port. */
const LABEL: Readonly<Record<RuntimePort, string>> = { bus: "event bus", writeStore: "write store", readStore: "read store", cache: "cache" };

/**
 * Stands in for a port the service said it does not use: close() does
 * nothing (nothing was opened); reading any other member throws one line
 * naming the port and the connect option (`then` reads undefined, so the
 * stand-in can be awaited or returned from an async function).
 */
function unconnectedPort(port: RuntimePort, connected: readonly RuntimePort[]): { close(): Promise<void> } {
  const error = () =>
    new RuntimeError(
      "HEXPROPERTY_PORT_NOT_CONNECTED",
      `${LABEL[port]} is not connected: this service declared it does not use it (connect option ports: ${connected.length ? connected.join(", ") : "none"}); add "${port}" to ports if it does`,
    );
  const target: Record<string | symbol, unknown> = { close: async () => undefined };
  return new Proxy(target, {
    get: (t, key) => {
      if (typeof key === "symbol" || key === "then" || Object.prototype.hasOwnProperty.call(t, key)) return t[key];
      throw error();
    },
  }) as unknown as { close(): Promise<void> };
}

/** Wraps any failure while connecting a port into one line naming it. */
function connectFailed(port: string, kind: string, cause: unknown): RuntimeError {
  if (cause instanceof RuntimeError) return cause;
  return new RuntimeError("HEXPROPERTY_CONNECT", `${port} ${kind}: cannot connect: ${oneLine(cause)}`);
}

async function step<T extends { close(): Promise<void> }>(port: string, kind: string, opened: { close(): Promise<void> }[], make: () => T | Promise<T>, ping?: (x: T) => Promise<void>): Promise<T> {
  let x: T;
  try {
    x = await make();
  } catch (e) {
    throw connectFailed(port, kind, e);
  }
  opened.push(x);
  try {
    if (ping) await ping(x);
  } catch (e) {
    throw connectFailed(port, kind, e);
  }
  return x;
}

export async function connect(manifest: RuntimeManifest, options: ConnectOptions = {}): Promise<Runtime> {
  const opened: { close(): Promise<void> }[] = [];
  const a = options.adapters ?? {};
  try {
    const { createTelemetry } = require("./telemetry") as typeof import("./telemetry");
    const telemetry = await step("telemetry", manifest.telemetry.logFormat, opened, () => createTelemetry(manifest.telemetry, options.telemetry));
    const { createFlags } = require("./flags") as typeof import("./flags");
    const flags = await step("flags", "manifest", opened, () =>
      createFlags(manifest.flags, { ...options.flags, ...(options.manifestSource ? { source: options.manifestSource } : {}) }),
    );
    const provision = options.provisionTopology ?? LOCAL_STACKS.has(manifest.stack);

    const ports = new Set(options.ports ?? RUNTIME_PORTS);
    for (const p of ports) if (!RUNTIME_PORTS.includes(p)) throw new RuntimeError("HEXPROPERTY_CONNECT", `connect option ports: unknown port ${JSON.stringify(p)}; ports are ${RUNTIME_PORTS.join(", ")}`);
    const notConnected = (port: RuntimePort) => unconnectedPort(port, RUNTIME_PORTS.filter((p) => ports.has(p)));
    // the listed ports are opened side by side; every one is settled before we decide, so nothing leaks on failure
    const settled = await Promise.allSettled([
      ports.has("bus")
        ? step(LABEL.bus, manifest.eventBus.kind, opened, () => open(ADAPTERS.eventBus, manifest.eventBus, a, telemetry), async (b) => {
            await b.ping();
            if (provision && hasTopologyProvisioner(b)) await b.ensureTopology();
          })
        : notConnected("bus"),
      ports.has("writeStore") ? step(LABEL.writeStore, manifest.writeStore.kind, opened, () => open(ADAPTERS.writeStore, manifest.writeStore, a, telemetry), (w) => w.ping()) : notConnected("writeStore"),
      ports.has("readStore") ? step(LABEL.readStore, manifest.readStore.kind, opened, () => open(ADAPTERS.readStore, manifest.readStore, a, telemetry), (r) => r.ping()) : notConnected("readStore"),
      ports.has("cache") ? step(LABEL.cache, manifest.cache.kind, opened, () => open(ADAPTERS.cache, manifest.cache, a, telemetry), (c) => c.ping()) : notConnected("cache"),
    ] as const);
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const [bus, rawWriteStore, readStore, cache] = settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [EventBus, WriteStore, ReadStore, Cache];
    const { withKnownStreams } = require("./outbox/streams") as typeof import("./outbox/streams");
    // save() rejects an event whose stream the manifest does not know (it could never be published)
    const writeStore = ports.has("writeStore") ? withKnownStreams(rawWriteStore, Object.keys(manifest.eventBus.streams)) : rawWriteStore;

    let closing: Promise<void> | undefined;
    return {
      manifest,
      bus,
      writeStore,
      readStore,
      cache,
      telemetry,
      flags,
      close: () =>
        (closing ??= (async () => {
          await bus.close();
          await Promise.allSettled([writeStore.close(), readStore.close(), cache.close(), flags.close()]);
          await telemetry.close();
        })()),
    };
  } catch (e) {
    await Promise.allSettled(opened.reverse().map((x) => x.close()));
    throw e;
  }
}

type AdapterOptions = NonNullable<ConnectOptions["adapters"]>;
type KindOf<M extends { kind: string }> = M["kind"];
type Loader<M extends { kind: string }, P> = { [K in KindOf<M>]: (m: Extract<M, { kind: K }>, a: AdapterOptions, t: Telemetry) => P | Promise<P> };

/**
 * The one kind -> adapter table: each entry require()s its adapter only when
 * that kind is selected (the embedded profile never loads kafkajs, pg or the
 * Google clients).
 */
const ADAPTERS: {
  readonly eventBus: Loader<EventBusManifest, EventBus>;
  readonly writeStore: Loader<WriteStoreManifest, WriteStore>;
  readonly readStore: Loader<ReadStoreManifest, ReadStore>;
  readonly cache: Loader<CacheManifest, Cache>;
} = {
  eventBus: {
    memory: (m, a) => (require("./adapters/memory") as typeof import("./adapters/memory")).createMemoryEventBus(m, a.memoryBus),
    kafka: (m, a, t) =>
      (require("./adapters/kafka") as typeof import("./adapters/kafka")).createKafkaEventBus(m, {
        observer: { logger: t.logger("eventbus.kafka"), counter: (n, v, at) => t.counter(n, v, at) },
        ...a.kafka,
      }),
    pubsub: (m, a, t) =>
      (require("./adapters/pubsub") as typeof import("./adapters/pubsub")).createPubSubEventBus(m, { observer: { logger: t.logger("eventbus.pubsub"), counter: (n, v, at) => t.counter(n, v, at) }, ...a.pubsub }),
  },
  writeStore: {
    pglite: (m, a) => (require("./adapters/pglite") as typeof import("./adapters/pglite")).createPgliteWriteStore(m, a.pglite),
    postgres: (m, a) => (require("./adapters/postgres") as typeof import("./adapters/postgres")).createPostgresWriteStore(m, a.postgres),
    datastore: (m, a) => (require("./adapters/datastore") as typeof import("./adapters/datastore")).createDatastoreWriteStore(m, a.datastore),
  },
  readStore: {
    pglite: (m, a) => (require("./adapters/pglite") as typeof import("./adapters/pglite")).createPgliteReadStore(m, a.pglite),
    clickhouse: (m, a) => (require("./adapters/clickhouse") as typeof import("./adapters/clickhouse")).createClickHouseReadStore(m, a.clickhouse),
    spanner: (m, a) => (require("./adapters/spanner") as typeof import("./adapters/spanner")).createSpannerReadStore(m, a.spanner),
  },
  cache: {
    memory: (m) => (require("./adapters/memory") as typeof import("./adapters/memory")).createMemoryCache(m),
    redis: (m, a) => (require("./adapters/redis") as typeof import("./adapters/redis")).createRedisCache(m, a.redis),
  },
};

function open<M extends { kind: string }, P>(table: Loader<M, P>, m: M, a: AdapterOptions, t: Telemetry): P | Promise<P> {
  const load = (table as unknown as Record<string, (m: M, a: AdapterOptions, t: Telemetry) => P | Promise<P>>)[m.kind];
  if (!load) throw unsupportedKind("connect", m.kind);
  return load(m, a, t);
}
