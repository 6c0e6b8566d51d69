import type { EnvironmentConfig } from "./schema";

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
  },
  portable: {
    kubeContext: "hexproperty-staging",
    kubeconfigPath: "~/.kube/config",
    namespace: "hexproperty-staging",
    operatorsNamespace: "hexproperty-operators",
    kafka: { replicas: 3, storageGi: 20 },
    postgres: { instances: 2, storageGi: 20 },
    clickhouse: { replicas: 1, storageGi: 20 },
  },
  backend: { kind: "gcs", bucket: "hexproperty-staging-tfstate", prefix: "hexproperty/staging" },
  services: {
    property: { minInstances: 0, maxInstances: 5, cpu: 1, memoryMiB: 512 },
    leasing: { minInstances: 0, maxInstances: 5, cpu: 1, memoryMiB: 512 },
    search: { minInstances: 1, maxInstances: 5, cpu: 1, memoryMiB: 512 },
    projector: { minInstances: 0, maxInstances: 3, cpu: 1, memoryMiB: 512 },
  },
  events: { partitions: 6, retentionHours: 72, maxDeliveryAttempts: 5, ackDeadlineSeconds: 30, minBackoffSeconds: 5, maxBackoffSeconds: 300 },
  protection: { deletionProtection: false, pointInTimeRecovery: false },
  telemetry: { logLevel: "debug", traceSampleRatio: 1, logRetentionDays: 30 },
  flags: { leaseESignature: true, searchCache: true },
  auth: { issuer: "https://auth.staging.hexproperty.example", audience: "hexproperty-api", jwksUri: "https://auth.staging.hexproperty.example/.well-known/jwks.json" },
  labels: { app: "hexproperty", env: "staging" },
};
