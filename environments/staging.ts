import type { EnvironmentConfig } from "./schema";
import { PLACEHOLDER_DIGEST } from "./image-digests";

/**
 * The public half of auth.issuer's RS256 signing key (from auth.jwksUri), for Kong's jwt credential (portable).
 * A placeholder until the issuer is real: replace it with the issuer's key, and again when the issuer rotates.
 */
const ISSUER_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzzR0MNPCrGyONYyokZGM
ev75WdleefOZCmXxC06lA3+kUeC5f86evMjTNJWaYSrVEoNvXKDNLJ08XPtUjJph
sD3AEafnmgXiehE/Fkc6jqRC70iPAVwVvciXUsUrj667m6Ui4prfOaYfsAj7BgQd
4sMZ0qPxignGmZup0UJA8UJdWVhI4Hn1djVVqPbAKCL/RrMlrXc0A2mo1geIesWJ
O4BuLXjcu+gI5u2YYuyWLwp6J58QbcgHnI7eK+Bdytx5Xln1Hjqx3+s8S+MkMybr
BlBcn5DPg88CFhVXKQloJWfoqCpITbvLlV8UR1Ric5WsMDq7wUaTAVwcn0teIpQJ
KQIDAQAB
-----END PUBLIC KEY-----
`;

/** Pre-production on the primary stack, sized small. */
export const staging: EnvironmentConfig = {
  name: "staging",
  stack: "gcp",
  gcp: {
    projectId: "hexproperty-staging",
    region: "europe-west1",
    spannerProcessingUnits: 100,
    redisTier: "BASIC",
    redisMemoryGb: 1,
    network: { subnetCidr: "10.20.0.0/20", serviceAccessPrefixLength: 20 },
    // The all-zero placeholder (environments/image-digests.ts): a deploy takes the digests the image build pushed to
    // hexproperty-staging-images from HEXPROPERTY_IMAGE_DIGESTS=<file>, and terraform apply refuses the placeholder.
    imageDigests: { property: PLACEHOLDER_DIGEST, leasing: PLACEHOLDER_DIGEST, search: PLACEHOLDER_DIGEST, projector: PLACEHOLDER_DIGEST },
    // Google-built OpenTelemetry Collector 0.134.0: the digest Google publishes for that release (its VSA, and
    // google-built-opentelemetry-collector/VSA/README.md in GoogleCloudPlatform/opentelemetry-operations-collector).
    telemetryCollectorImage: "us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google@sha256:934bda3bc2d79810c622d2deee6990b9f4bb8e3e40e6f41fd074110e4c17135f",
    // The platform team's Google group goes here once it exists (IAM refuses a binding to an unknown group at apply).
    operators: [],
    alerting: { emails: ["platform-alerts@hexproperty.example"], errorRatioPercent: 5, p99LatencyMs: 2000, oldestUnackedSeconds: 600 },
  },
  portable: {
    kubeContext: "hexproperty-staging",
    kubeconfigPath: "~/.kube/config",
    namespace: "hexproperty-staging",
    operatorsNamespace: "hexproperty-operators",
    kafka: { replicas: 3, storageGi: 20, cpu: 1, memoryMiB: 2048 },
    postgres: { instances: 2, storageGi: 20, cpu: 1, memoryMiB: 1024 },
    clickhouse: { replicas: 1, storageGi: 20, cpu: 1, memoryMiB: 2048 },
    logs: { storageGi: 50, cpu: 1, memoryMiB: 4096 },
    cache: { cpu: 0.5, memoryMiB: 512 },
    // Digests CI pushes; replace when a build is promoted.
    images: { property: `registry.hexproperty.example/hexproperty/property@${PLACEHOLDER_DIGEST}`, leasing: `registry.hexproperty.example/hexproperty/leasing@${PLACEHOLDER_DIGEST}`, search: `registry.hexproperty.example/hexproperty/search@${PLACEHOLDER_DIGEST}`, projector: `registry.hexproperty.example/hexproperty/projector@${PLACEHOLDER_DIGEST}` },
    backup: { destinationPath: "s3://hexproperty-staging-pg-backups/write", credentialsSecret: "hexproperty-staging-backup-credentials", schedule: "0 0 3 * * *" },
    gateway: { serviceType: "LoadBalancer", rateLimitPerMinute: 1200, issuerPublicKey: ISSUER_PUBLIC_KEY },
    alerting: { errorRatioPercent: 5, p99LatencyMs: 2000, consumerLagMessages: 1000 },
  },
  backend: { kind: "gcs", bucket: "hexproperty-staging-tfstate", prefix: "hexproperty/staging" },
  services: {
    property: { minInstances: 0, maxInstances: 5, cpu: 1, memoryMiB: 512 },
    leasing: { minInstances: 0, maxInstances: 5, cpu: 1, memoryMiB: 512 },
    search: { minInstances: 1, maxInstances: 5, cpu: 1, memoryMiB: 512 },
    projector: { minInstances: 1, maxInstances: 3, cpu: 1, memoryMiB: 512 },
  },
  events: { partitions: 6, retentionHours: 72, maxDeliveryAttempts: 5, ackDeadlineSeconds: 30, minBackoffSeconds: 5, maxBackoffSeconds: 300 },
  protection: { deletionProtection: false, pointInTimeRecovery: false, backupRetentionDays: 0, readVersionRetentionHours: 1 },
  telemetry: { logLevel: "debug", traceSampleRatio: 1, logRetentionDays: 30 },
  flags: { leaseESignature: true, searchCache: true },
  auth: { issuer: "https://auth.staging.hexproperty.example", audience: "hexproperty-api", jwksUri: "https://auth.staging.hexproperty.example/.well-known/jwks.json" },
  labels: { app: "hexproperty", env: "staging" },
};
