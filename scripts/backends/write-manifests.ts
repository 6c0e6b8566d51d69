/**
 * Writes the runtime manifests of the two local profiles that run on real
 * backends started by scripts/backends.sh:
 *   .local/manifests/portable-local.json  (Kafka, PostgreSQL, ClickHouse, Redis)
 *   .local/manifests/gcp-emulated.json    (Pub/Sub, Datastore and Spanner emulators, Redis)
 * Ports come from the same HEXPROPERTY_* variables the script uses, so an
 * overridden port ends up in the manifest too. Each manifest is validated with
 * the runtime's own schema; an invalid one is not written and the run fails.
 *
 * Run: node -r ./scripts/ts-hook.js scripts/backends/write-manifests.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { validateManifest, type RuntimeManifest } from "@hexproperty/runtime/manifest";

const root = resolve(__dirname, "..", "..");
const host = "127.0.0.1";

function port(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${variable}=${JSON.stringify(raw)} is not a port; use a whole number from 1 to 65535`);
  }
  return value;
}

const ports = {
  postgres: port("HEXPROPERTY_PG_PORT", 55432),
  redis: port("HEXPROPERTY_REDIS_PORT", 56379),
  clickhouseHttp: port("HEXPROPERTY_CLICKHOUSE_HTTP_PORT", 58123),
  kafka: port("HEXPROPERTY_KAFKA_PORT", 59092),
  pubsub: port("HEXPROPERTY_PUBSUB_PORT", 58085),
  datastore: port("HEXPROPERTY_DATASTORE_PORT", 58081),
  spanner: port("HEXPROPERTY_SPANNER_PORT", 59010),
};
const projectId = process.env.HEXPROPERTY_GCP_PROJECT || "hexproperty-local";
const prefix = "hexproperty-local";

const streams = {
  property: { topic: `${prefix}-property-events`, deadLetterTopic: `${prefix}-property-events-dlq` },
  leasing: { topic: `${prefix}-leasing-events`, deadLetterTopic: `${prefix}-leasing-events-dlq` },
};
const subscriptions = {
  "projector-property": { stream: "property", subscription: `${prefix}-projector-property`, maxDeliveryAttempts: 5, ackDeadlineSeconds: 10 },
  "projector-leasing": { stream: "leasing", subscription: `${prefix}-projector-leasing`, maxDeliveryAttempts: 5, ackDeadlineSeconds: 10 },
};
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

const manifests: Record<"portable-local" | "gcp-emulated", unknown> = {
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

const dir = join(root, ".local", "manifests");
mkdirSync(dir, { recursive: true });
let failed = false;
for (const [name, value] of Object.entries(manifests)) {
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
