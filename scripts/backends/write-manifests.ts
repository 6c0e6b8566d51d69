/**
 * Writes the runtime manifests of the two local profiles that run on real
 * backends started by scripts/backends.sh:
 *   .local/manifests/portable-local.json  (Kafka, PostgreSQL, ClickHouse, Redis)
 *   .local/manifests/gcp-emulated.json    (Pub/Sub, Datastore and Spanner emulators, Redis)
 * Ports: the defaults in scripts/backends/ports.env (the file backends.sh
 * reads), each overridden by its HEXPROPERTY_* variable, so an overridden port
 * ends up in the manifest too. Streams and subscriptions come from the domain
 * catalog through the same naming code as the stacks (eventNames). Each
 * manifest is validated with the runtime's own schema; an invalid one is not
 * written and the run fails.
 *
 * Run: node -r ./scripts/ts-hook.js scripts/backends/write-manifests.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { validateManifest, type RuntimeManifest } from "@hexproperty/runtime/manifest";
import { DOMAIN, eventNames, type DomainContract } from "../../constructs/domain";

const root = resolve(__dirname, "..", "..");
const host = "127.0.0.1";
/** Resource-name prefix of the local profiles (the stacks use hexproperty-<environment>). */
const prefix = "hexproperty-local";
/** Delivery settings of every local subscription. */
const LOCAL_DELIVERY = { maxDeliveryAttempts: 5, ackDeadlineSeconds: 10 } as const;

export type LocalProfile = "portable-local" | "gcp-emulated";

/** The default ports (scripts/backends/ports.env), by variable name. */
export function defaultPorts(file = join(__dirname, "ports.env")): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^(HEXPROPERTY_[A-Z_]+_PORT)=(\d+)\s*$/.exec(line);
    if (match) ports[match[1]!] = Number(match[2]);
  }
  return ports;
}

function port(env: Readonly<Record<string, string | undefined>>, defaults: Readonly<Record<string, number>>, variable: string): number {
  const raw = env[variable];
  if (raw === undefined || raw === "") {
    const fallback = defaults[variable];
    if (fallback === undefined) throw new Error(`${variable} has no default in scripts/backends/ports.env; add a line ${variable}=<port>`);
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${variable}=${JSON.stringify(raw)} is not a port; use a whole number from 1 to 65535`);
  }
  return value;
}

export interface LocalManifestOptions {
  /** Variables that override ports and the project id. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default ports by variable name. @default - scripts/backends/ports.env */
  readonly defaults?: Readonly<Record<string, number>>;
  /** The catalog streams and subscriptions are derived from. @default DOMAIN */
  readonly domain?: DomainContract;
}

/** The manifests of both local profiles (not yet validated). */
export function localManifests(options: LocalManifestOptions = {}): Record<LocalProfile, unknown> {
  const env = options.env ?? process.env;
  const defaults = options.defaults ?? defaultPorts();
  const p = (variable: string) => port(env, defaults, variable);
  const ports = {
    postgres: p("HEXPROPERTY_PG_PORT"),
    redis: p("HEXPROPERTY_REDIS_PORT"),
    clickhouseHttp: p("HEXPROPERTY_CLICKHOUSE_HTTP_PORT"),
    kafka: p("HEXPROPERTY_KAFKA_PORT"),
    pubsub: p("HEXPROPERTY_PUBSUB_PORT"),
    datastore: p("HEXPROPERTY_DATASTORE_PORT"),
    spanner: p("HEXPROPERTY_SPANNER_PORT"),
  };
  const projectId = env.HEXPROPERTY_GCP_PROJECT || "hexproperty-local";
  const names = eventNames(prefix, options.domain ?? DOMAIN);
  const streams = names.streams;
  const subscriptions = Object.fromEntries(Object.entries(names.subscriptions).map(([name, s]) => [name, { ...s, ...LOCAL_DELIVERY }]));
  const cache = { kind: "redis", host, port: ports.redis, tls: false, keyPrefix: "hexproperty:" } as const;
  const common = {
    version: 1,
    environment: "local",
    cache,
    telemetry: { logFormat: "json", logLevel: "info", traceBackend: "none", traceSampleRatio: 1, metricPrefix: "hexproperty" },
    flags: {},
    auth: { issuer: "https://auth.hexproperty.local", audience: "hexproperty-api", jwksUri: "file://.local/dev-jwks.json" },
    services: {},
  } as const;
  return {
    "portable-local": {
      ...common,
      stack: "portable-local",
      eventBus: { kind: "kafka", brokers: [`${host}:${ports.kafka}`], clientId: "hexproperty-local", tls: false, streams, subscriptions },
      writeStore: { kind: "postgres", host, port: ports.postgres, database: "hexproperty", user: "hexproperty", ssl: false },
      readStore: { kind: "clickhouse", url: `http://${host}:${ports.clickhouseHttp}`, database: "hexproperty", user: "default" },
    },
    "gcp-emulated": {
      ...common,
      stack: "gcp-emulated",
      eventBus: { kind: "pubsub", projectId, emulatorHost: `${host}:${ports.pubsub}`, streams, subscriptions },
      writeStore: { kind: "datastore", projectId, databaseId: "(default)", emulatorHost: `${host}:${ports.datastore}` },
      readStore: { kind: "spanner", projectId, instance: "hexproperty", database: "hexproperty-read", emulatorHost: `${host}:${ports.spanner}` },
    },
  };
}

function main(): void {
  const dir = join(root, ".local", "manifests");
  mkdirSync(dir, { recursive: true });
  let failed = false;
  for (const [name, value] of Object.entries(localManifests())) {
    const result = validateManifest(value);
    if (!result.ok) {
      failed = true;
      console.error(`manifests: ${name} does not match runtime/src/manifest/schema.ts:`);
      for (const issue of result.issues) console.error(`  ${issue.path}: ${issue.message}`);
      continue;
    }
    const manifest: RuntimeManifest = result.manifest;
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  if (failed) process.exit(1);
}

if (require.main === module) main();
