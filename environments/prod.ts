import type { EnvironmentConfig } from "./schema";
import { PLACEHOLDER_DIGEST } from "./image-digests";

/**
 * The public half of auth.issuer's RS256 signing key (from auth.jwksUri), for Kong's jwt credential (portable).
 * A placeholder until the issuer is real: replace it with the issuer's key, and again when the issuer rotates.
 */
const ISSUER_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAp75iPNIGCyXMzSRdZT2y
GSPTZ9hD/vBxSxUd92ZJ7VaeIeUefjrG0WQfTUMSv+lsNhEn+33pEhnxUVjCVMs1
TcZ3B64icb1VJklG16I7nRbDD/TqAXJ1Zh3s+I0ShDQWNgvwu9N+X+AyLwrLh6FQ
1B+WiLEwvz9qQ0M3+ulFLHPPCQMkVNHBpXLz5nXqVmQPajtAHrHZ6SHTJmSZL3cb
od4BGflPYhNa1j4gzPP89mKtBXpyIFUdYN4z87zJaA6zCd5SzdAnsH70VRE9/W9J
ZajOniXoDgvkkR/MeuycLk2Pt55D2LWTWKNao5Y4h2wumS9nTyE3VlDnlhzNWrsF
RQIDAQAB
-----END PUBLIC KEY-----
`;

/** Production on the primary stack. */
export const prod: EnvironmentConfig = {
  name: "prod",
  stack: "gcp",
  gcp: {
    projectId: "hexproperty-prod",
    region: "europe-west1",
    spannerProcessingUnits: 1000,
    redisTier: "STANDARD_HA",
    redisMemoryGb: 5,
    network: { subnetCidr: "10.10.0.0/20", serviceAccessPrefixLength: 20 },
    // The all-zero placeholder (environments/image-digests.ts): a deploy takes the digests the image build pushed to
    // hexproperty-prod-images from HEXPROPERTY_IMAGE_DIGESTS=<file>, and terraform apply refuses the placeholder.
    imageDigests: { property: PLACEHOLDER_DIGEST, leasing: PLACEHOLDER_DIGEST, search: PLACEHOLDER_DIGEST, projector: PLACEHOLDER_DIGEST },
    // Google-built OpenTelemetry Collector 0.134.0: the digest Google publishes for that release (its VSA, and
    // google-built-opentelemetry-collector/VSA/README.md in GoogleCloudPlatform/opentelemetry-operations-collector).
    telemetryCollectorImage: "us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google@sha256:934bda3bc2d79810c622d2deee6990b9f4bb8e3e40e6f41fd074110e4c17135f",
    // The platform team's Google group goes here once it exists (IAM refuses a binding to an unknown group at apply).
    operators: [],
    alerting: { emails: ["platform-alerts@hexproperty.example", "oncall@hexproperty.example"], errorRatioPercent: 1, p99LatencyMs: 1000, oldestUnackedSeconds: 300 },
  },
  portable: {
    kubeContext: "hexproperty-prod",
    kubeconfigPath: "~/.kube/config",
    namespace: "hexproperty-prod",
    operatorsNamespace: "hexproperty-operators",
    storageClass: "premium-rwo",
    kafka: { replicas: 3, storageGi: 100, cpu: 2, memoryMiB: 4096 },
    postgres: { instances: 3, storageGi: 100, cpu: 2, memoryMiB: 4096 },
    clickhouse: { replicas: 2, storageGi: 200, cpu: 2, memoryMiB: 8192 },
    logs: { storageGi: 200, cpu: 2, memoryMiB: 8192 },
    cache: { cpu: 1, memoryMiB: 2048 },
    // Digests CI pushes; replace when a build is promoted.
    images: { property: `registry.hexproperty.example/hexproperty/property@${PLACEHOLDER_DIGEST}`, leasing: `registry.hexproperty.example/hexproperty/leasing@${PLACEHOLDER_DIGEST}`, search: `registry.hexproperty.example/hexproperty/search@${PLACEHOLDER_DIGEST}`, projector: `registry.hexproperty.example/hexproperty/projector@${PLACEHOLDER_DIGEST}` },
    backup: { destinationPath: "s3://hexproperty-prod-pg-backups/write", credentialsSecret: "hexproperty-prod-backup-credentials", schedule: "0 0 2 * * *" },
    gateway: { serviceType: "LoadBalancer", rateLimitPerMinute: 6000, issuerPublicKey: ISSUER_PUBLIC_KEY },
    alerting: { errorRatioPercent: 1, p99LatencyMs: 1000, consumerLagMessages: 10000 },
  },
  backend: { kind: "gcs", bucket: "hexproperty-prod-tfstate", prefix: "hexproperty/prod" },
  services: {
    property: { minInstances: 2, maxInstances: 50, cpu: 1, memoryMiB: 1024 },
    leasing: { minInstances: 2, maxInstances: 50, cpu: 1, memoryMiB: 1024 },
    search: { minInstances: 3, maxInstances: 100, cpu: 2, memoryMiB: 1024 },
    projector: { minInstances: 1, maxInstances: 20, cpu: 1, memoryMiB: 1024 },
  },
  events: { partitions: 12, retentionHours: 168, maxDeliveryAttempts: 10, ackDeadlineSeconds: 60, minBackoffSeconds: 10, maxBackoffSeconds: 600 },
  protection: { deletionProtection: true, pointInTimeRecovery: true, backupRetentionDays: 30, readVersionRetentionHours: 72 },
  telemetry: { logLevel: "info", traceSampleRatio: 0.1, logRetentionDays: 90 },
  flags: { leaseESignature: false, searchCache: true },
  auth: { issuer: "https://auth.hexproperty.example", audience: "hexproperty-api", jwksUri: "https://auth.hexproperty.example/.well-known/jwks.json" },
  labels: { app: "hexproperty", env: "prod" },
};
