/**
 * The runtime manifest: the one JSON document through which a service learns
 * what the selected stack provisioned. Every stack emits it as the Terraform
 * output `runtime_manifest`; the local-backends script writes one per local
 * profile; `loadManifest()` validates it with this schema. This file is the
 * single source of its shape.
 *
 * Secrets appear only as references (`SecretRef`), never as values.
 */
import { z } from "zod";

export const MANIFEST_VERSION = 1 as const;

/** Lower-case DNS-label-like name used for streams, consumers and services. */
const name = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and '-', starting with a letter");
const hostPort = z.string().regex(/^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$/, "must be host:port");

/** A reference to a secret, resolved by the adapter at connect time. */
export const secretRefSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("secret-manager"),
    /** Full Secret Manager version name, projects/P/secrets/S/versions/V. */
    name: z.string().regex(/^projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+$/, "must be projects/<p>/secrets/<s>/versions/<v>"),
  }).strict(),
  z.object({
    kind: z.literal("kubernetes-secret"),
    /** Secret name in the workload's namespace. */
    name: z.string().min(1),
    /** Key inside the Secret. */
    key: z.string().min(1),
    /** Environment variable the workload receives the key as (secretKeyRef). */
    env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
  }).strict(),
  z.object({
    kind: z.literal("env"),
    /** Environment variable that holds the secret value at run time. */
    env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
  }).strict(),
]);
export type SecretRef = z.infer<typeof secretRefSchema>;

/** One domain event stream: a topic and its dead-letter topic. */
export const streamSchema = z.object({
  topic: z.string().min(1),
  deadLetterTopic: z.string().min(1),
}).strict();

/** One consumer of a stream: a subscription (Pub/Sub) or consumer group (Kafka). */
export const subscriptionSchema = z.object({
  stream: name,
  subscription: z.string().min(1),
  /** Deliveries before a message goes to the stream's dead-letter topic. */
  maxDeliveryAttempts: z.number().int().min(1).max(100),
  /** Seconds a delivery may stay unacknowledged. */
  ackDeadlineSeconds: z.number().int().min(1).max(600),
}).strict();

const eventsCommon = {
  streams: z.record(name, streamSchema),
  subscriptions: z.record(name, subscriptionSchema),
};

export const eventBusSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("pubsub"),
    projectId: z.string().min(1),
    /** host:port of the Pub/Sub emulator; absent in the cloud. */
    emulatorHost: hostPort.optional(),
    ...eventsCommon,
  }).strict(),
  z.object({
    kind: z.literal("kafka"),
    brokers: z.array(hostPort).min(1),
    clientId: z.string().min(1),
    tls: z.boolean(),
    /** SASL/SCRAM credentials of the workload's own KafkaUser, as references. */
    sasl: z.object({ mechanism: z.enum(["scram-sha-512"]), username: secretRefSchema, password: secretRefSchema }).strict().optional(),
    /** The cluster CA (e.g. Strimzi's <cluster>-cluster-ca-cert), as a reference; only with tls: true. Absent: the system trust store. */
    ca: secretRefSchema.optional(),
    ...eventsCommon,
  }).strict(),
  z.object({
    kind: z.literal("memory"),
    ...eventsCommon,
  }).strict(),
]);
export type EventBusManifest = z.infer<typeof eventBusSchema>;

export const writeStoreSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("datastore"),
    projectId: z.string().min(1),
    /** Firestore database id (Datastore mode); "(default)" for the default database. */
    databaseId: z.string().min(1),
    namespace: z.string().optional(),
    emulatorHost: hostPort.optional(),
  }).strict(),
  z.object({
    kind: z.literal("postgres"),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    database: z.string().min(1),
    user: z.string().min(1),
    password: secretRefSchema.optional(),
    ssl: z.boolean(),
    /** The server's CA (e.g. CloudNativePG's <cluster>-ca), as a reference; only with ssl: true. Absent: the system trust store. */
    ca: secretRefSchema.optional(),
  }).strict(),
  z.object({
    kind: z.literal("pglite"),
    /** Folder of the embedded database; "memory://" keeps it in memory. */
    dataDir: z.string().min(1),
  }).strict(),
]);
export type WriteStoreManifest = z.infer<typeof writeStoreSchema>;

export const readStoreSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("spanner"),
    projectId: z.string().min(1),
    instance: z.string().min(1),
    database: z.string().min(1),
    emulatorHost: hostPort.optional(),
  }).strict(),
  z.object({
    kind: z.literal("clickhouse"),
    url: z.string().url(),
    database: z.string().min(1),
    user: z.string().min(1),
    password: secretRefSchema.optional(),
    /** The server's CA for an https url, as a reference. Absent: the system trust store. */
    ca: secretRefSchema.optional(),
  }).strict(),
  z.object({
    kind: z.literal("pglite"),
    dataDir: z.string().min(1),
  }).strict(),
]);
export type ReadStoreManifest = z.infer<typeof readStoreSchema>;

export const cacheSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("redis"),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    tls: z.boolean(),
    auth: secretRefSchema.optional(),
    /** The server's CA (e.g. Memorystore's server CA), as a reference; only with tls: true. Absent: the system trust store. */
    ca: secretRefSchema.optional(),
    keyPrefix: z.string(),
  }).strict(),
  z.object({
    kind: z.literal("memory"),
    maxEntries: z.number().int().min(1),
  }).strict(),
]);
export type CacheManifest = z.infer<typeof cacheSchema>;

export const telemetrySchema = z.object({
  /** cloud-logging: JSON with Cloud Logging field names (severity, message, logging.googleapis.com/trace). */
  logFormat: z.enum(["cloud-logging", "json", "console"]),
  logLevel: z.enum(["debug", "info", "warn", "error"]),
  /** OTLP/HTTP endpoint of the collector; absent: no export. */
  otlpEndpoint: z.string().url().optional(),
  /** Where traces are exported: Cloud Trace (via the collector), Jaeger, or none. */
  traceBackend: z.enum(["cloud-trace", "jaeger", "none"]),
  traceSampleRatio: z.number().min(0).max(1),
  /** Prometheus / Cloud Monitoring metric prefix. */
  metricPrefix: z.string().regex(/^[a-z][a-z0-9_]*$/),
}).strict();
export type TelemetryManifest = z.infer<typeof telemetrySchema>;

export const authSchema = z.object({
  issuer: z.string().min(1),
  audience: z.string().min(1),
  /** URL of the JWKS; for local profiles a file:// URL or the dev-token key. */
  jwksUri: z.string().min(1),
}).strict();

export const serviceEndpointSchema = z.object({
  /** Base URL the service is reachable at inside the platform. */
  url: z.string().min(1),
  /** Identity the service runs as (service account e-mail or Kubernetes service account). */
  identity: z.string().min(1),
}).strict();

export const runtimeManifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  /** Environment name (dev, staging, prod, or a local profile's name). */
  environment: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** Which stack provisioned it: gcp, portable, or a local profile. */
  stack: z.enum(["gcp", "portable", "embedded", "portable-local", "gcp-emulated"]),
  eventBus: eventBusSchema,
  writeStore: writeStoreSchema,
  readStore: readStoreSchema,
  cache: cacheSchema,
  telemetry: telemetrySchema,
  flags: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/), z.boolean()),
  auth: authSchema,
  services: z.record(name, serviceEndpointSchema),
}).strict();

export type RuntimeManifest = z.infer<typeof runtimeManifestSchema>;

/** One problem found in a manifest: where and what. */
export interface ManifestIssue {
  readonly path: string;
  readonly message: string;
}

/** Validates a parsed manifest; returns the typed manifest or the list of issues. */
export function validateManifest(value: unknown): { ok: true; manifest: RuntimeManifest } | { ok: false; issues: ManifestIssue[] } {
  const result = runtimeManifestSchema.safeParse(value);
  if (result.success) return { ok: true, manifest: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message })),
  };
}
