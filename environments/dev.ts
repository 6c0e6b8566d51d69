import type { EnvironmentConfig } from "./schema";

/** Developers' shared cluster: the vendor-independent stack. */
export const dev: EnvironmentConfig = {
  name: "dev",
  stack: "portable",
  portable: {
    kubeContext: "hexproperty-dev",
    kubeconfigPath: "~/.kube/config",
    namespace: "hexproperty-dev",
    operatorsNamespace: "hexproperty-operators",
    kafka: { replicas: 1, storageGi: 10 },
    postgres: { instances: 1, storageGi: 10 },
    clickhouse: { replicas: 1, storageGi: 10 },
  },
  gcp: {
    projectId: "hexproperty-dev",
    region: "europe-west1",
    spannerProcessingUnits: 100,
    redisTier: "BASIC",
    redisMemoryGb: 1,
  },
  backend: { kind: "kubernetes", secretSuffix: "hexproperty-dev", namespace: "hexproperty-tfstate" },
  services: {
    property: { minInstances: 0, maxInstances: 2, cpu: 0.5, memoryMiB: 512 },
    leasing: { minInstances: 0, maxInstances: 2, cpu: 0.5, memoryMiB: 512 },
    search: { minInstances: 0, maxInstances: 2, cpu: 0.5, memoryMiB: 512 },
    projector: { minInstances: 0, maxInstances: 1, cpu: 0.5, memoryMiB: 512 },
  },
  events: { partitions: 3, retentionHours: 24, maxDeliveryAttempts: 5, ackDeadlineSeconds: 30, minBackoffSeconds: 1, maxBackoffSeconds: 60 },
  protection: { deletionProtection: false, pointInTimeRecovery: false },
  telemetry: { logLevel: "debug", traceSampleRatio: 1, logRetentionDays: 30 },
  flags: { leaseESignature: true, searchCache: true },
  auth: { issuer: "https://auth.dev.hexproperty.example", audience: "hexproperty-api", jwksUri: "https://auth.dev.hexproperty.example/.well-known/jwks.json" },
  labels: { app: "hexproperty", env: "dev" },
};
