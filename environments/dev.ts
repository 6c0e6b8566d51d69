import type { EnvironmentConfig } from "./schema";
import { PLACEHOLDER_DIGEST } from "./image-digests";

/**
 * The public half of auth.issuer's RS256 signing key (from auth.jwksUri), for Kong's jwt credential (portable).
 * A placeholder until the issuer is real: replace it with the issuer's key, and again when the issuer rotates.
 */
const ISSUER_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu2K0UeyUPyotRkvvpcdq
osr4/6XCyi2zRdYTiQKm35x/TebdIZurvVoZ1Bin5HnQk2VZgXiU22B1WCMpuj4/
o/kkbyuoQbDO32JGoZXyDMp0Nbe9LSpLpq0i0IDATvx11/8UDLAFCMNGvhMm566d
QAsbP0/sep7FH9V+osLyRfaX1wsytV9olNEXeMAAtzG9QFnTO5ntnKOn89o3MXUW
WxMa3n1JY4TDdfFPC0AroYyb8oX+sS44UgiRubBj/6yikHGrX1JVbvV3TcpzZnZF
u5J1NCenNEBnOMEqeoYy2+FuJ4WVSY36/A+Ld2UuYWLrXey7CNfVbUwgxrmSIm4y
9QIDAQAB
-----END PUBLIC KEY-----
`;

/** Developers' shared cluster: the vendor-independent stack. */
export const dev: EnvironmentConfig = {
  name: "dev",
  stack: "portable",
  portable: {
    kubeContext: "hexproperty-dev",
    kubeconfigPath: "~/.kube/config",
    namespace: "hexproperty-dev",
    operatorsNamespace: "hexproperty-operators",
    kafka: { replicas: 1, storageGi: 10, cpu: 0.5, memoryMiB: 1024 },
    postgres: { instances: 1, storageGi: 10, cpu: 0.5, memoryMiB: 512 },
    clickhouse: { replicas: 1, storageGi: 10, cpu: 0.5, memoryMiB: 1024 },
    logs: { storageGi: 10, cpu: 1, memoryMiB: 2048 },
    cache: { cpu: 0.25, memoryMiB: 256 },
    // Tags CI pushes (never latest); a promoted build replaces them.
    images: { property: "registry.hexproperty.example/hexproperty/property:0.1.0", leasing: "registry.hexproperty.example/hexproperty/leasing:0.1.0", search: "registry.hexproperty.example/hexproperty/search:0.1.0", projector: "registry.hexproperty.example/hexproperty/projector:0.1.0" },
    gateway: { serviceType: "LoadBalancer", rateLimitPerMinute: 600, issuerPublicKey: ISSUER_PUBLIC_KEY },
    alerting: { errorRatioPercent: 5, p99LatencyMs: 2000, consumerLagMessages: 1000 },
  },
  gcp: {
    projectId: "hexproperty-dev",
    region: "europe-west1",
    spannerProcessingUnits: 100,
    redisTier: "BASIC",
    redisMemoryGb: 1,
    network: { subnetCidr: "10.30.0.0/20", serviceAccessPrefixLength: 20 },
    // The all-zero placeholder (environments/image-digests.ts): a deploy takes the digests the image build pushed to
    // hexproperty-dev-images from HEXPROPERTY_IMAGE_DIGESTS=<file>, and terraform apply refuses the placeholder.
    imageDigests: { property: PLACEHOLDER_DIGEST, leasing: PLACEHOLDER_DIGEST, search: PLACEHOLDER_DIGEST, projector: PLACEHOLDER_DIGEST },
    operators: [],
    alerting: { emails: [], errorRatioPercent: 5, p99LatencyMs: 2000, oldestUnackedSeconds: 600 },
  },
  backend: { kind: "kubernetes", secretSuffix: "hexproperty-dev", namespace: "hexproperty-tfstate" },
  services: {
    // At least 1 on the portable stack: an HPA cannot scale to zero (validation refuses 0).
    property: { minInstances: 1, maxInstances: 2, cpu: 0.5, memoryMiB: 512 },
    leasing: { minInstances: 1, maxInstances: 2, cpu: 0.5, memoryMiB: 512 },
    search: { minInstances: 1, maxInstances: 2, cpu: 0.5, memoryMiB: 512 },
    projector: { minInstances: 1, maxInstances: 1, cpu: 1, memoryMiB: 512 },
  },
  events: { partitions: 3, retentionHours: 24, maxDeliveryAttempts: 5, ackDeadlineSeconds: 30, minBackoffSeconds: 1, maxBackoffSeconds: 60 },
  protection: { deletionProtection: false, pointInTimeRecovery: false, backupRetentionDays: 0, readVersionRetentionHours: 1 },
  telemetry: { logLevel: "debug", traceSampleRatio: 1, logRetentionDays: 30 },
  flags: { leaseESignature: true, searchCache: true },
  auth: { issuer: "https://auth.dev.hexproperty.example", audience: "hexproperty-api", jwksUri: "https://auth.dev.hexproperty.example/.well-known/jwks.json" },
  labels: { app: "hexproperty", env: "dev" },
};
