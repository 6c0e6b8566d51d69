/** Hand-built synthesized resources for the rule tests: one compliant shape per kind, and small ways to break it. */
import type { PolicyResource, PolicySettings } from "../../constructs/policy";

export const SETTINGS: PolicySettings = { deletionProtection: true, pointInTimeRecovery: true, cacheHighAvailability: true, region: "europe-west1", publicEdge: ["stack/interface"] };

let n = 0;
export function res(type: string, config: Record<string, unknown>, path = `stack/layer/r${++n}`): PolicyResource {
  return { type, address: `${type}.r${n}`, path, config };
}

export function kube(object: Record<string, unknown>, path?: string): PolicyResource {
  return res("kubernetes_manifest", { manifest: object }, path);
}

export const GOOD_CONTAINER = {
  name: "app",
  image: "europe-west1-docker.pkg.dev/p/r/property:1.4.2",
  resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
  securityContext: { runAsNonRoot: true, runAsUser: 10001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
  env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "pg-app", key: "password" } } }],
};

/** A Deployment whose single container is `container` (default: compliant with every container rule). */
export function deployment(container: Record<string, unknown> = GOOD_CONTAINER, pod: Record<string, unknown> = {}): PolicyResource {
  return kube({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "property", namespace: "hexproperty-dev", labels: { "app.kubernetes.io/name": "property" } },
    spec: {
      selector: { matchLabels: { "app.kubernetes.io/name": "property" } },
      template: {
        metadata: { labels: { "app.kubernetes.io/name": "property" } },
        spec: { serviceAccountName: "property", automountServiceAccountToken: false, securityContext: { seccompProfile: { type: "RuntimeDefault" } }, containers: [container], ...pod },
      },
    },
  });
}

/** GOOD_CONTAINER with `securityContext` fields replaced. */
export function withSecurity(patch: Record<string, unknown>): Record<string, unknown> {
  return { ...GOOD_CONTAINER, securityContext: { ...GOOD_CONTAINER.securityContext, ...patch } };
}

export function cloudRun(config: Record<string, unknown> = {}, container: Record<string, unknown> = {}, path?: string): PolicyResource {
  return res("google_cloud_run_v2_service", {
    name: "hexproperty-prod-property",
    location: "europe-west1",
    ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY",
    template: { service_account: "hp-prod-property@p.iam.gserviceaccount.com", containers: [{ image: "europe-west1-docker.pkg.dev/p/r/property@sha256:abc", resources: { limits: { cpu: "1", memory: "512Mi" } }, ...container }] },
    ...config,
  }, path);
}

export const KAFKA = {
  apiVersion: "kafka.strimzi.io/v1beta2",
  kind: "Kafka",
  metadata: { name: "hexproperty-dev-kafka", namespace: "hexproperty-dev" },
  spec: { kafka: { listeners: [{ name: "scram", port: 9093, type: "internal", tls: true, authentication: { type: "scram-sha-512" } }], authorization: { type: "simple" }, config: { "auto.create.topics.enable": false } } },
};

export function kafka(listener: Record<string, unknown> = {}, kafkaPatch: Record<string, unknown> = {}): PolicyResource {
  return kube({ ...KAFKA, spec: { kafka: { ...KAFKA.spec.kafka, listeners: [{ ...KAFKA.spec.kafka.listeners[0], ...listener }], ...kafkaPatch } } });
}

export function subscription(name: string, topic: string, patch: Record<string, unknown> = {}): PolicyResource {
  return res("google_pubsub_subscription", {
    name, topic, expiration_policy: { ttl: "" },
    retry_policy: { minimum_backoff: "10s", maximum_backoff: "600s" },
    dead_letter_policy: { dead_letter_topic: "${google_pubsub_topic.dlq.id}", max_delivery_attempts: 10 },
    ...patch,
  });
}

export const NAMESPACE = { apiVersion: "v1", kind: "Namespace", metadata: { name: "hexproperty-dev", labels: { "pod-security.kubernetes.io/enforce": "restricted", "istio-injection": "enabled" } } };
export const DEFAULT_DENY = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "default-deny", namespace: "hexproperty-dev" }, spec: { podSelector: {}, policyTypes: ["Ingress"] } };
