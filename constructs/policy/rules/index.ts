/** Every rule of the policy pack, in RULES.md order (by id). One rule per file; add a file here and a row to RULES.md (test/policy checks both). */
import type { Rule } from "../rule";
import { cnpgBackupConfigured } from "./cnpg-backup-configured";
import { cnpgSuperuserDisabled } from "./cnpg-superuser-disabled";
import { containerImagePinned } from "./container-image-pinned";
import { containerResources } from "./container-resources";
import { gcpArtifactRegistryImmutableTags } from "./gcp-artifact-registry-immutable-tags";
import { gcpFirestoreBackupSchedule } from "./gcp-firestore-backup-schedule";
import { gcpFirestoreDeletionProtection } from "./gcp-firestore-deletion-protection";
import { gcpFirestorePitr } from "./gcp-firestore-pitr";
import { gcpIamNoAdminRoles } from "./gcp-iam-no-admin-roles";
import { gcpIamNoBasicRoles } from "./gcp-iam-no-basic-roles";
import { gcpIamNoPublicPrincipals } from "./gcp-iam-no-public-principals";
import { gcpIamProjectGrantConditioned } from "./gcp-iam-project-grant-conditioned";
import { gcpLabelsValid } from "./gcp-labels-valid";
import { gcpLocationRegional } from "./gcp-location-regional";
import { gcpLoggingRetention } from "./gcp-logging-retention";
import { gcpPubsubDeadLetter } from "./gcp-pubsub-dead-letter";
import { gcpPubsubNoExpiry } from "./gcp-pubsub-no-expiry";
import { gcpPubsubRetryPolicy } from "./gcp-pubsub-retry-policy";
import { gcpPubsubTopicStorageRegion } from "./gcp-pubsub-topic-storage-region";
import { gcpRedisAuth } from "./gcp-redis-auth";
import { gcpRedisHighAvailability } from "./gcp-redis-high-availability";
import { gcpRedisTls } from "./gcp-redis-tls";
import { gcpRunIngressNotAll } from "./gcp-run-ingress-not-all";
import { gcpRunOwnServiceAccount } from "./gcp-run-own-service-account";
import { gcpSaNoUserManagedKeys } from "./gcp-sa-no-user-managed-keys";
import { gcpSecretReplicationRegional } from "./gcp-secret-replication-regional";
import { gcpSpannerDeletionProtection } from "./gcp-spanner-deletion-protection";
import { helmChartExactVersion } from "./helm-chart-exact-version";
import { helmRepositoryHttps } from "./helm-repository-https";
import { istioMtlsStrict } from "./istio-mtls-strict";
import { k8sContainerDropCapabilities } from "./k8s-container-drop-capabilities";
import { k8sContainerNoPrivilegeEscalation } from "./k8s-container-no-privilege-escalation";
import { k8sContainerNonRoot } from "./k8s-container-non-root";
import { k8sContainerReadOnlyRoot } from "./k8s-container-read-only-root";
import { k8sLabelsValid } from "./k8s-labels-valid";
import { k8sNamespaceDefaultDeny } from "./k8s-namespace-default-deny";
import { k8sNamespacePodSecurity } from "./k8s-namespace-pod-security";
import { k8sNetworkPolicyNoOpenIngress } from "./k8s-networkpolicy-no-open-ingress";
import { k8sNoSecretInState } from "./k8s-no-secret-in-state";
import { k8sPodNoHostNamespaces } from "./k8s-pod-no-host-namespaces";
import { k8sPodSeccomp } from "./k8s-pod-seccomp";
import { k8sServiceNotExposed } from "./k8s-service-not-exposed";
import { k8sServiceAccountNoAutomount } from "./k8s-serviceaccount-no-automount";
import { kafkaAuthorizationEnabled } from "./kafka-authorization-enabled";
import { kafkaListenerAuthentication } from "./kafka-listener-authentication";
import { kafkaListenerTls } from "./kafka-listener-tls";
import { kafkaUserLeastPrivilege } from "./kafka-user-least-privilege";
import { noLiteralSecrets } from "./no-literal-secrets";

export const RULES: readonly Rule[] = [
  cnpgBackupConfigured,
  cnpgSuperuserDisabled,
  containerImagePinned,
  containerResources,
  gcpArtifactRegistryImmutableTags,
  gcpFirestoreBackupSchedule,
  gcpFirestoreDeletionProtection,
  gcpFirestorePitr,
  gcpIamNoAdminRoles,
  gcpIamNoBasicRoles,
  gcpIamNoPublicPrincipals,
  gcpIamProjectGrantConditioned,
  gcpLabelsValid,
  gcpLocationRegional,
  gcpLoggingRetention,
  gcpPubsubDeadLetter,
  gcpPubsubNoExpiry,
  gcpPubsubRetryPolicy,
  gcpPubsubTopicStorageRegion,
  gcpRedisAuth,
  gcpRedisHighAvailability,
  gcpRedisTls,
  gcpRunIngressNotAll,
  gcpRunOwnServiceAccount,
  gcpSaNoUserManagedKeys,
  gcpSecretReplicationRegional,
  gcpSpannerDeletionProtection,
  helmChartExactVersion,
  helmRepositoryHttps,
  istioMtlsStrict,
  k8sContainerDropCapabilities,
  k8sContainerNoPrivilegeEscalation,
  k8sContainerNonRoot,
  k8sContainerReadOnlyRoot,
  k8sLabelsValid,
  k8sNamespaceDefaultDeny,
  k8sNamespacePodSecurity,
  k8sNetworkPolicyNoOpenIngress,
  k8sNoSecretInState,
  k8sPodNoHostNamespaces,
  k8sPodSeccomp,
  k8sServiceNotExposed,
  k8sServiceAccountNoAutomount,
  kafkaAuthorizationEnabled,
  kafkaListenerAuthentication,
  kafkaListenerTls,
  kafkaUserLeastPrivilege,
  noLiteralSecrets,
];
