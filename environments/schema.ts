/**
 * One schema for every environment file. A bad value stops synthesis with one
 * line naming the environment, the key path, the bad value and what is
 * allowed (see ./validate.ts), before any file is written.
 */
import { createPublicKey } from "node:crypto";
import { z } from "zod";
import { bucketNameProblem } from "./bucket";
import { FLAGS, FLAG_NAMES, type FlagName } from "./flags";
import { isK8sQualifiedName, isLabelKey, isLabelValue, K8S_LABEL_KEY_RULE, LABEL_KEY_RULE, LABEL_VALUE_RULE } from "./labels";

/** The microservices and event processors every environment runs. */
export const SERVICE_NAMES = ["property", "leasing", "search", "projector"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const STACK_KINDS = ["gcp", "portable"] as const;
export type StackKind = (typeof STACK_KINDS)[number];

/** Google Cloud regions HexProperty is allowed to run in (data residency). */
export const GCP_REGIONS = ["europe-west1", "europe-west3", "europe-west4", "europe-west9", "us-central1", "us-east1"] as const;

const dnsLabel = z.string().regex(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, "a DNS label: lower-case letters, digits and '-', 1-63 characters, starting with a letter");

export const serviceScalingSchema = z.object({
  /** Instances kept warm; 0 lets the service scale to zero. */
  minInstances: z.number().int().min(0).max(100),
  maxInstances: z.number().int().min(1).max(1000),
  /** vCPU per instance. */
  cpu: z.union([z.literal(0.5), z.literal(1), z.literal(2), z.literal(4)]),
  memoryMiB: z.number().int().min(256).max(16384),
}).strict();
export type ServiceScaling = z.infer<typeof serviceScalingSchema>;

/** The per-service alert thresholds both stacks have, with the same names and meaning (gcp.alerting, portable.alerting). */
const serviceAlertThresholds = {
  /** Alert when a service's 5xx responses exceed this share of its requests, in percent. */
  errorRatioPercent: z.number().min(0.1).max(100),
  /** Alert when a service's p99 request latency exceeds this, in milliseconds. */
  p99LatencyMs: z.number().int().min(10).max(600000),
};

export const gcpSettingsSchema = z.object({
  projectId: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "a Google Cloud project id: 6-30 lower-case letters, digits or '-', starting with a letter"),
  region: z.enum(GCP_REGIONS),
  /** Spanner processing units for the read model (100..1000 in steps of 100, or multiples of 1000). */
  spannerProcessingUnits: z.number().int().min(100).max(10000).refine((n) => (n < 1000 ? n % 100 === 0 : n % 1000 === 0), "100..1000 in steps of 100, then multiples of 1000"),
  /** Memorystore Redis tier. */
  redisTier: z.enum(["BASIC", "STANDARD_HA"]),
  redisMemoryGb: z.number().int().min(1).max(300),
  /** The VPC the workloads egress through (Direct VPC egress) and Memorystore is reached on (Private Service Access). */
  network: z.object({
    /** Primary range of the regional subnet, e.g. "10.10.0.0/20" (Cloud Run's Direct VPC egress takes its addresses from it; /26 at least). */
    subnetCidr: z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-6])$/, "an IPv4 CIDR with a prefix length of 16..26, e.g. 10.10.0.0/20"),
    /** Prefix length of the range reserved for Private Service Access (Memorystore); Google requires /24 or larger. */
    serviceAccessPrefixLength: z.number().int().min(16).max(24),
  }).strict(),
  /**
   * Image of each workload, by immutable digest ("sha256:<64 hex>") in the environment's Artifact Registry repository.
   * The files keep the all-zero placeholder; the deploy's build sets the real ones (HEXPROPERTY_IMAGE_DIGESTS, ./image-digests.ts).
   */
  imageDigests: z.object(Object.fromEntries(SERVICE_NAMES.map((s) => [s, z.string().regex(/^sha256:[a-f0-9]{64}$/, "an image digest: sha256: and 64 lower-case hex digits")])) as Record<ServiceName, z.ZodString>).strict(),
  /**
   * OpenTelemetry Collector image run beside each workload (Cloud Run sidecar), by digest, e.g. Google's
   * us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google@sha256:...;
   * the runtime then exports traces and metrics to it and it forwards them to Cloud Trace and Cloud Monitoring.
   * Absent: no sidecar, application traces are not exported.
   */
  telemetryCollectorImage: z.string().regex(/^[a-z0-9.-]+(\/[a-z0-9._-]+)+@sha256:[a-f0-9]{64}$/, "an image reference by digest: <registry>/<path>@sha256:<64 hex>").optional(),
  /** IAM principals (group:..., user:...) allowed to call the services directly (operator routes: /readyz, diagnostics), besides the gateway. */
  operators: z.array(z.string().regex(/^(group|user|serviceAccount|domain):[^\s]+$/, "an IAM principal such as group:platform@example.com")),
  alerting: z.object({
    /** E-mail addresses that receive the alerts (one Cloud Monitoring notification channel each). */
    emails: z.array(z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "an e-mail address")),
    ...serviceAlertThresholds,
    /** Alert when a subscription's oldest unacknowledged message is older than this, in seconds. */
    oldestUnackedSeconds: z.number().int().min(10).max(604800),
  }).strict(),
}).strict();
export type GcpSettings = z.infer<typeof gcpSettingsSchema>;

/** A container image by tag other than `latest` ("<repository>:<tag>") or by digest ("<repository>@sha256:<64 hex>"). */
const imageReference = z.string().regex(/^[a-z0-9][a-z0-9._\/:-]*[a-z0-9](:(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/, "an image reference with a tag other than latest (registry/repo:1.2.3) or a digest (registry/repo@sha256:<64 hex>)");

/** CPU (cores) and memory of an operator-managed server; requests and limits are set from it. */
const serverResources = {
  cpu: z.number().min(0.1).max(64),
  memoryMiB: z.number().int().min(128).max(262144),
};

/** An RSA public key in PEM (SPKI, "-----BEGIN PUBLIC KEY-----"), as Kong's jwt credential needs for RS256. */
const rsaPublicKeyPem = z.string().refine(isRsaPublicKeyPem, "an RSA public key in PEM (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");

export function isRsaPublicKeyPem(text: string): boolean {
  if (!/^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+\/=\r\n]+-----END PUBLIC KEY-----\r?\n?$/.test(text)) return false;
  try {
    return createPublicKey(text).asymmetricKeyType === "rsa";
  } catch {
    return false;
  }
}

/** An annotation key is a qualified name, as a Kubernetes label key is. */
const ANNOTATION_KEY_RULE = `a Kubernetes annotation key: ${K8S_LABEL_KEY_RULE}`;

export const portableSettingsSchema = z.object({
  /** kubeconfig context the providers use. */
  kubeContext: z.string().min(1),
  /** kubeconfig path. */
  kubeconfigPath: z.string().min(1),
  /** Namespace of the workloads. */
  namespace: dnsLabel,
  /** Namespace of the operators (Strimzi, CloudNativePG, ...). */
  operatorsNamespace: dnsLabel,
  /** Storage class for persistent volumes; absent: the cluster default. */
  storageClass: dnsLabel.optional(),
  kafka: z.object({
    /** Combined broker+controller nodes (KRaft). */
    replicas: z.number().int().min(1).max(9),
    storageGi: z.number().int().min(1).max(4096),
    ...serverResources,
  }).strict(),
  postgres: z.object({
    /** CloudNativePG instances (1 primary + standbys). */
    instances: z.number().int().min(1).max(9),
    storageGi: z.number().int().min(1).max(4096),
    ...serverResources,
  }).strict(),
  clickhouse: z.object({
    replicas: z.number().int().min(1).max(9),
    storageGi: z.number().int().min(1).max(4096),
    ...serverResources,
  }).strict(),
  /** Elasticsearch (ECK) holding the logs Filebeat ships; Kibana reads it. */
  logs: z.object({ storageGi: z.number().int().min(1).max(4096), ...serverResources }).strict(),
  /** Valkey (the cache). */
  cache: z.object({ ...serverResources }).strict(),
  /** Image of each workload (tag other than latest, or digest). */
  images: z.object(Object.fromEntries(SERVICE_NAMES.map((s) => [s, imageReference])) as Record<ServiceName, typeof imageReference>).strict(),
  /** Where CloudNativePG archives WAL and base backups (barman-cloud object store); absent: no backups and no point-in-time recovery. */
  backup: z.object({
    /** Object store URL: s3://bucket/path, gs://bucket/path or https://<account>.blob.core.windows.net/<container>/path. */
    destinationPath: z.string().regex(/^(s3|gs):\/\/[a-z0-9][a-z0-9._-]{1,61}[a-z0-9](\/[A-Za-z0-9._\/-]*)?$|^https:\/\/[a-z0-9]+\.blob\.core\.windows\.net\/[A-Za-z0-9._\/-]+$/, "s3://bucket/path, gs://bucket/path or an Azure blob URL"),
    /** S3-compatible endpoint (MinIO, Ceph); absent: the provider's default. */
    endpointURL: z.string().regex(/^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/\S*)?$/, "an https:// URL such as https://minio.example.com").optional(),
    /** Secret in the workloads' namespace with the object store credentials (an input: ACCESS_KEY_ID and ACCESS_SECRET_KEY for s3, credentials.json for gs, AZURE_CONNECTION_STRING for an Azure blob URL); or use `workloadIdentity`. */
    credentialsSecret: dnsLabel.optional(),
    /**
     * No key at all: PostgreSQL's pods reach the object store as a cloud identity (GKE Workload Identity, EKS IAM roles
     * for service accounts, Azure AD workload identity), bound through these annotations on their ServiceAccount, e.g.
     * { "iam.gke.io/gcp-service-account": "pg-backup@<project>.iam.gserviceaccount.com" } or { "eks.amazonaws.com/role-arn": "arn:aws:iam::<account>:role/pg-backup" }.
     */
    workloadIdentity: z.object({ serviceAccountAnnotations: z.record(z.string(), z.string()).superRefine((annotations, ctx) => {
      if (Object.keys(annotations).length === 0) ctx.addIssue({ code: "custom", message: "at least one annotation that binds the ServiceAccount to a cloud identity" });
      for (const key of Object.keys(annotations)) if (!isK8sQualifiedName(key)) ctx.addIssue({ code: "custom", message: ANNOTATION_KEY_RULE, path: [], params: { value: key } });
    }) }).strict().optional(),
    /** Base backup schedule, six-field cron with seconds (CloudNativePG ScheduledBackup), e.g. "0 0 3 * * *". */
    schedule: z.string().regex(/^(\S+\s+){5}\S+$/, "a six-field cron expression with seconds, e.g. \"0 0 3 * * *\""),
  }).strict().optional(),
  /** Kong, the only exposed entry. */
  gateway: z.object({
    /** Type of the Kong proxy Service. */
    serviceType: z.enum(["LoadBalancer", "NodePort", "ClusterIP"]),
    /** Requests per minute one client (IP) may send through the gateway. */
    rateLimitPerMinute: z.number().int().min(1).max(1000000),
    /**
     * The token issuer's (auth.issuer) RSA signing key, public half in PEM, from auth.jwksUri: the stack creates
     * Kong's jwt credential Secret from it (Kong OSS checks RS256 signatures against a key, not a JWKS URL). Not a secret.
     */
    issuerPublicKey: rsaPublicKeyPem,
  }).strict(),
  /** Thresholds of the PrometheusRules; the same names and meaning as gcp.alerting where both stacks have the signal. */
  alerting: z.object({
    ...serviceAlertThresholds,
    /** Alert when a consumer group lags more than this many messages behind its topics (Kafka has no message age; gcp alerts on oldestUnackedSeconds). */
    consumerLagMessages: z.number().int().min(1).max(100000000),
  }).strict(),
}).strict();
export type PortableSettings = z.infer<typeof portableSettingsSchema>;

/** A Cloud Storage bucket name that Cloud Storage accepts (see ./bucket.ts). */
const bucketName = z.string().superRefine((name, ctx) => {
  const problem = bucketNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** An https URL: environment files never point the services at plain-HTTP or script URLs (the local profiles write their own manifests). */
const httpsUrl = z.string().refine(isHttpsUrl, "an https:// URL such as https://auth.example.com/path");

export function isHttpsUrl(text: string): boolean {
  if (text.trim() !== text || /[\u0000-\u001f\u007f\s]/.test(text)) return false;
  try {
    const url = new URL(text);
    return url.protocol === "https:" && url.hostname !== "" && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}

/** Every flag of the catalog (./flags.ts), each optional with the catalog's default; an undeclared flag is an unknown key. */
const flagsSchema = z.object(Object.fromEntries(FLAG_NAMES.map((f) => [f, z.boolean().default(FLAGS[f].default)])) as Record<FlagName, z.ZodDefault<z.ZodBoolean>>).strict();

/** Labels go on GCP resources and Kubernetes objects: keys and values must suit both (see ./labels.ts). */
const labelsSchema = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  for (const [key, value] of Object.entries(labels)) {
    if (!isLabelKey(key)) ctx.addIssue({ code: "custom", message: LABEL_KEY_RULE, path: [], params: { value: key } });
    else if (!isLabelValue(value)) ctx.addIssue({ code: "custom", message: LABEL_VALUE_RULE, path: [key] });
  }
});

export const backendSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("gcs"), bucket: bucketName, prefix: z.string().min(1) }).strict(),
  z.object({ kind: z.literal("kubernetes"), secretSuffix: dnsLabel, namespace: dnsLabel }).strict(),
  z.object({ kind: z.literal("local"), path: z.string().min(1) }).strict(),
]);
export type BackendSettings = z.infer<typeof backendSchema>;

export const eventSettingsSchema = z.object({
  /** Partitions per Kafka topic (portable); ignored on Pub/Sub. */
  partitions: z.number().int().min(1).max(256),
  /** How long a stream keeps messages. */
  retentionHours: z.number().int().min(1).max(24 * 31),
  /** Deliveries before a message goes to the dead-letter topic (Pub/Sub allows 5..100). */
  maxDeliveryAttempts: z.number().int().min(5).max(100),
  ackDeadlineSeconds: z.number().int().min(10).max(600),
  minBackoffSeconds: z.number().int().min(0).max(600),
  maxBackoffSeconds: z.number().int().min(0).max(600),
}).strict();
export type EventSettings = z.infer<typeof eventSettingsSchema>;

/** How much the environment's data is protected; both stacks read the same keys. No behaviour hangs on an environment's name. */
export const protectionSchema = z.object({
  /** Databases refuse deletion (Firestore delete protection, Spanner deletion protection; the state is abandoned, not deleted, on destroy). */
  deletionProtection: z.boolean(),
  /** Point-in-time recovery of the write store (Firestore PITR; CloudNativePG WAL archive). */
  pointInTimeRecovery: z.boolean(),
  /** Days scheduled daily backups of the write and read stores are kept (Firestore allows up to 98 days); 0: no backup schedule. */
  backupRetentionDays: z.number().int().min(0).max(98),
  /** Hours the read store keeps old versions for stale reads and point-in-time restore (Spanner allows 1..168). */
  readVersionRetentionHours: z.number().int().min(1).max(168),
}).strict();
export type ProtectionSettings = z.infer<typeof protectionSchema>;

/** What the services log and trace, and how long logs are kept. */
export const telemetrySettingsSchema = z.object({
  logLevel: z.enum(["debug", "info", "warn", "error"]),
  /** Fraction of requests traced, 0..1. */
  traceSampleRatio: z.number().min(0).max(1),
  /** Days the log bucket keeps entries (Cloud Logging allows 1..3650). */
  logRetentionDays: z.number().int().min(1).max(3650),
}).strict();
export type TelemetrySettings = z.infer<typeof telemetrySettingsSchema>;

export const environmentSchema = z.object({
  name: dnsLabel,
  stack: z.enum(STACK_KINDS),
  /** Settings used when `stack` is "gcp". */
  gcp: gcpSettingsSchema.optional(),
  /** Settings used when `stack` is "portable". */
  portable: portableSettingsSchema.optional(),
  /** Terraform state backend. */
  backend: backendSchema,
  services: z.object(Object.fromEntries(SERVICE_NAMES.map((s) => [s, serviceScalingSchema])) as Record<ServiceName, typeof serviceScalingSchema>).strict(),
  events: eventSettingsSchema,
  protection: protectionSchema,
  telemetry: telemetrySettingsSchema,
  /** Feature flags declared in ./flags.ts; a flag left out takes its default. */
  flags: flagsSchema,
  auth: z.object({
    issuer: httpsUrl,
    audience: z.string().min(1),
    jwksUri: httpsUrl,
  }).strict(),
  /** Labels put on every resource that takes labels. */
  labels: labelsSchema,
}).strict();

/** What the schema alone checks; the validated value is narrowed to an `Environment`. */
export type ParsedEnvironment = z.infer<typeof environmentSchema>;
type Common = Omit<ParsedEnvironment, "stack" | "gcp" | "portable">;
/** An environment on the gcp stack: its gcp settings are present (the portable block, if the file has one, is dropped). */
export type GcpEnvironment = Common & { readonly stack: "gcp"; readonly gcp: GcpSettings };
/** An environment on the portable stack. */
export type PortableEnvironment = Common & { readonly stack: "portable"; readonly portable: PortableSettings };
/**
 * A validated environment, narrowed once on `stack`: code that holds a
 * `GcpEnvironment` has its gcp settings, with no non-null assertion.
 */
export type Environment = GcpEnvironment | PortableEnvironment;
/** What an environment file exports: the schema's input type, checked by the compiler. */
export type EnvironmentConfig = z.input<typeof environmentSchema>;
