/** For every rule: a compliant and a non-compliant hand-built input (a resource, or a stack's resources for set rules). */
import type { PolicyResource } from "../../constructs/policy";
import { cloudRun, DEFAULT_DENY, deployment, GOOD_CONTAINER, kafka, kube, NAMESPACE, res, subscription, withSecurity } from "./fixtures";

type Input = PolicyResource | PolicyResource[];
const iam = (role: string, member: string, type = "google_pubsub_topic_iam_member", path?: string) => res(type, { topic: "t", role, member }, path);
const firestore = (patch: Record<string, unknown>) => res("google_firestore_database", { name: "hexproperty-prod-write", location_id: "europe-west1", delete_protection_state: "DELETE_PROTECTION_ENABLED", deletion_policy: "ABANDON", point_in_time_recovery_enablement: "POINT_IN_TIME_RECOVERY_ENABLED", ...patch });
const redis = (patch: Record<string, unknown>) => res("google_redis_instance", { name: "c", region: "europe-west1", tier: "STANDARD_HA", auth_enabled: true, transit_encryption_mode: "SERVER_AUTHENTICATION", ...patch });
const release = (patch: Record<string, unknown>) => res("helm_release", { name: "kong", chart: "kong", repository: "https://charts.konghq.com", version: "2.51.0", ...patch });
const cnpg = (spec: Record<string, unknown>) => kube({ apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "pg", namespace: "ns" }, spec: { instances: 3, ...spec } });
const kafkaUser = (acl: Record<string, unknown>) => kube({ apiVersion: "kafka.strimzi.io/v1beta2", kind: "KafkaUser", metadata: { name: "projector", namespace: "ns" }, spec: { authentication: { type: "scram-sha-512" }, authorization: { type: "simple", acls: [{ resource: { type: "topic", name: "t", patternType: "literal" }, operations: ["Read"], ...acl }] } } });
const networkPolicy = (ingress: unknown[]) => kube({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "np", namespace: "ns" }, spec: { podSelector: { matchLabels: { a: "b" } }, policyTypes: ["Ingress"], ingress } });

export const CASES: Record<string, { compliant: Input; nonCompliant: Input }> = {
  "cnpg-backup-configured": { compliant: cnpg({ backup: { barmanObjectStore: { destinationPath: "gs://b/pg" } } }), nonCompliant: cnpg({}) },
  "cnpg-superuser-disabled": { compliant: cnpg({ enableSuperuserAccess: false }), nonCompliant: cnpg({ enableSuperuserAccess: true }) },
  "container-image-pinned": { compliant: deployment(), nonCompliant: deployment({ ...GOOD_CONTAINER, image: "nginx:latest" }) },
  "container-resources": { compliant: cloudRun(), nonCompliant: deployment({ ...GOOD_CONTAINER, resources: { requests: { cpu: "1", memory: "1Gi" } } }) },
  "gcp-artifact-registry-immutable-tags": {
    compliant: res("google_artifact_registry_repository", { format: "DOCKER", docker_config: { immutable_tags: true } }),
    nonCompliant: res("google_artifact_registry_repository", { format: "DOCKER" }),
  },
  "gcp-firestore-backup-schedule": {
    compliant: [firestore({}), res("google_firestore_backup_schedule", { database: "hexproperty-prod-write", retention: "8467200s", daily_recurrence: {} })],
    nonCompliant: [firestore({})],
  },
  "gcp-firestore-deletion-protection": { compliant: firestore({}), nonCompliant: firestore({ delete_protection_state: "DELETE_PROTECTION_DISABLED", deletion_policy: "DELETE" }) },
  "gcp-firestore-pitr": { compliant: firestore({}), nonCompliant: firestore({ point_in_time_recovery_enablement: "POINT_IN_TIME_RECOVERY_DISABLED" }) },
  "gcp-iam-no-admin-roles": { compliant: iam("roles/pubsub.publisher", "serviceAccount:a@p.iam.gserviceaccount.com"), nonCompliant: iam("roles/pubsub.admin", "serviceAccount:a@p.iam.gserviceaccount.com") },
  "gcp-iam-no-basic-roles": { compliant: iam("roles/pubsub.subscriber", "serviceAccount:a@p"), nonCompliant: iam("roles/editor", "serviceAccount:a@p", "google_project_iam_member") },
  "gcp-iam-no-public-principals": {
    compliant: iam("roles/run.invoker", "allUsers", "google_cloud_run_v2_service_iam_member", "stack/interface/gateway-invoker"),
    nonCompliant: iam("roles/run.invoker", "allUsers", "google_cloud_run_v2_service_iam_member", "stack/microservices/property-public"),
  },
  "gcp-iam-project-grant-conditioned": {
    compliant: res("google_project_iam_member", { role: "roles/datastore.user", member: "serviceAccount:a@p", condition: { title: "t", expression: "resource.name == \"x\"" } }),
    nonCompliant: res("google_project_iam_member", { role: "roles/datastore.user", member: "serviceAccount:a@p" }),
  },
  "gcp-labels-valid": { compliant: res("google_monitoring_notification_channel", { type: "email", labels: { email_address: "Ops@Example.com" }, user_labels: { env: "prod" } }), nonCompliant: res("google_pubsub_topic", { labels: { Env: "Prod" } }) },
  "gcp-location-regional": { compliant: res("google_spanner_instance", { config: "regional-europe-west1" }), nonCompliant: res("google_secret_manager_regional_secret", { location: "global" }) },
  "gcp-logging-retention": { compliant: res("google_logging_project_bucket_config", { location: "europe-west1", retention_days: 90 }), nonCompliant: res("google_logging_project_bucket_config", { location: "europe-west1" }) },
  "gcp-pubsub-dead-letter": {
    compliant: [subscription("s", "${google_pubsub_topic.t.id}"), subscription("dlq-reader", "${google_pubsub_topic.dlq.id}", { dead_letter_policy: undefined })],
    nonCompliant: [subscription("s", "${google_pubsub_topic.t.id}", { dead_letter_policy: undefined })],
  },
  "gcp-pubsub-no-expiry": { compliant: subscription("s", "t"), nonCompliant: subscription("s", "t", { expiration_policy: undefined }) },
  "gcp-pubsub-retry-policy": { compliant: [subscription("s", "t")], nonCompliant: [subscription("s", "t", { retry_policy: undefined })] },
  "gcp-pubsub-topic-storage-region": {
    compliant: res("google_pubsub_topic", { name: "t", message_storage_policy: { allowed_persistence_regions: ["europe-west1"] } }),
    nonCompliant: res("google_pubsub_topic", { name: "t", message_storage_policy: { allowed_persistence_regions: ["us-central1"] } }),
  },
  "gcp-redis-auth": { compliant: redis({}), nonCompliant: redis({ auth_enabled: false }) },
  "gcp-redis-high-availability": { compliant: redis({}), nonCompliant: redis({ tier: "BASIC" }) },
  "gcp-redis-tls": { compliant: redis({}), nonCompliant: redis({ transit_encryption_mode: "DISABLED" }) },
  "gcp-run-ingress-not-all": { compliant: cloudRun({ ingress: "INGRESS_TRAFFIC_ALL" }, {}, "stack/interface/gateway"), nonCompliant: cloudRun({ ingress: undefined }) },
  "gcp-run-own-service-account": { compliant: cloudRun(), nonCompliant: cloudRun({ template: { containers: [{ image: "x:1" }] } }) },
  "gcp-sa-no-user-managed-keys": { compliant: res("google_service_account", { account_id: "hp-prod-property" }), nonCompliant: res("google_service_account_key", { service_account_id: "hp-prod-property" }) },
  "gcp-secret-replication-regional": {
    compliant: res("google_secret_manager_secret", { secret_id: "s", replication: { user_managed: { replicas: [{ location: "europe-west1" }] } } }),
    nonCompliant: res("google_secret_manager_secret", { secret_id: "s", replication: { auto: {} } }),
  },
  "gcp-spanner-deletion-protection": { compliant: res("google_spanner_database", { name: "d" }), nonCompliant: res("google_spanner_database", { name: "d", deletion_protection: false }) },
  "helm-chart-exact-version": { compliant: release({}), nonCompliant: release({ version: "~2.51" }) },
  "helm-repository-https": { compliant: release({}), nonCompliant: release({ repository: "http://charts.konghq.com" }) },
  "istio-mtls-strict": {
    compliant: kube({ apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: { name: "default", namespace: "ns" }, spec: { mtls: { mode: "STRICT" } } }),
    nonCompliant: kube({ apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: { name: "default", namespace: "ns" }, spec: { mtls: { mode: "PERMISSIVE" } } }),
  },
  "k8s-container-drop-capabilities": { compliant: deployment(), nonCompliant: deployment(withSecurity({ capabilities: { add: ["NET_ADMIN"] } })) },
  "k8s-container-no-privilege-escalation": { compliant: deployment(), nonCompliant: deployment(withSecurity({ allowPrivilegeEscalation: true })) },
  "k8s-container-non-root": { compliant: deployment(), nonCompliant: deployment(withSecurity({ runAsNonRoot: undefined })) },
  "k8s-container-read-only-root": { compliant: deployment(), nonCompliant: deployment(withSecurity({ readOnlyRootFilesystem: false })) },
  "k8s-labels-valid": { compliant: deployment(), nonCompliant: kube({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: { "app/name/x": "a b" } } }) },
  "k8s-namespace-default-deny": { compliant: [kube(NAMESPACE), kube(DEFAULT_DENY)], nonCompliant: [kube(NAMESPACE), networkPolicy([{ from: [{ podSelector: { matchLabels: { a: "b" } } }] }])] },
  "k8s-namespace-pod-security": { compliant: kube(NAMESPACE), nonCompliant: kube({ ...NAMESPACE, metadata: { name: "ns", labels: { "pod-security.kubernetes.io/enforce": "privileged" } } }) },
  "k8s-networkpolicy-no-open-ingress": { compliant: networkPolicy([{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "search" } } }] }]), nonCompliant: networkPolicy([{ ports: [{ port: 5432 }] }]) },
  "k8s-no-secret-in-state": {
    compliant: kube({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "ns" }, type: "Opaque" }),
    nonCompliant: kube({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "ns" }, stringData: { password: "hunter2" } }),
  },
  "k8s-pod-no-host-namespaces": { compliant: deployment(), nonCompliant: deployment(GOOD_CONTAINER, { hostNetwork: true }) },
  "k8s-pod-seccomp": { compliant: deployment(), nonCompliant: deployment(GOOD_CONTAINER, { securityContext: { seccompProfile: { type: "Unconfined" } } }) },
  "k8s-service-not-exposed": {
    compliant: kube({ apiVersion: "v1", kind: "Service", metadata: { name: "property", namespace: "ns" }, spec: { type: "ClusterIP" } }),
    nonCompliant: kube({ apiVersion: "v1", kind: "Service", metadata: { name: "property", namespace: "ns" }, spec: { type: "LoadBalancer" } }),
  },
  "k8s-serviceaccount-no-automount": {
    compliant: kube({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "a", namespace: "ns" }, automountServiceAccountToken: false }),
    nonCompliant: kube({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "a", namespace: "ns" } }),
  },
  "kafka-authorization-enabled": { compliant: kafka(), nonCompliant: kafka({}, { authorization: undefined }) },
  "kafka-listener-authentication": { compliant: kafka(), nonCompliant: kafka({ authentication: undefined }) },
  "kafka-listener-tls": { compliant: kafka(), nonCompliant: kafka({ tls: false }) },
  "kafka-user-least-privilege": { compliant: kafkaUser({}), nonCompliant: kafkaUser({ resource: { type: "topic", name: "*", patternType: "literal" }, operations: ["All"] }) },
  "no-literal-secrets": { compliant: deployment(), nonCompliant: deployment({ ...GOOD_CONTAINER, env: [{ name: "DB_PASSWORD", value: "hunter2" }] }) },
};
