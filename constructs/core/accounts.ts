import type { Construct } from "constructs";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import type { IServiceAccount } from "kubernetes-models/v1";
import { KubeResource } from "./kube";
import { enableApis } from "./gcp-apis";
import type { Naming } from "./context";
import type { Identity } from "./identity";
import { unknownWorkload } from "../errors";

/** What a workload is; also its `app.kubernetes.io/component` label value, so it must be a valid label value. */
export type WorkloadRole = "microservice" | "event-processor" | "gateway";
const ROLE_TEXT: Record<WorkloadRole, string> = { microservice: "microservice", "event-processor": "event processor", gateway: "API gateway" };

export interface GcpServiceAccountsProps {
  readonly projectId: string;
  readonly names: Naming;
  readonly workloads: readonly string[];
  readonly role: WorkloadRole;
}

/** One Google service account per workload, with no permissions of its own: every access comes from a layer's grant method. */
export function gcpServiceAccounts(scope: Construct, props: GcpServiceAccountsProps): Record<string, Identity> {
  const purpose = ROLE_TEXT[props.role];
  const apis = enableApis(scope, props.projectId, ["iam.googleapis.com"]);
  return Object.fromEntries(props.workloads.map((workload) => {
    const account = new ServiceAccount(scope, `${workload}-sa`, {
      dependsOn: apis,
      project: props.projectId,
      accountId: props.names.short(workload),
      displayName: `HexProperty ${props.names.environment} ${workload} (${purpose})`,
      description: `Runs the ${workload} ${purpose}; permissions come only from explicit grants.`,
    });
    return [workload, { kind: "gcp-service-account", name: workload, email: account.email } satisfies Identity];
  }));
}

/** The Google service account `gcpServiceAccounts` made for `workload`; any other identity is an unknown workload (naming the known ones). */
export function gcpServiceAccountOf(identities: Readonly<Record<string, Identity>>, workload: string): { readonly email: string } {
  const identity = identities[workload];
  if (!identity || identity.kind !== "gcp-service-account") throw unknownWorkload(workload, Object.keys(identities));
  return identity;
}

export interface KubernetesServiceAccountsProps {
  readonly namespace: string;
  readonly workloads: readonly string[];
  readonly role: WorkloadRole;
  /** @default - none besides the app.kubernetes.io ones */
  readonly labels?: Readonly<Record<string, string>>;
}

/** One Kubernetes ServiceAccount per workload, without an automounted API token. */
export function kubernetesServiceAccounts(scope: Construct, props: KubernetesServiceAccountsProps): Record<string, Identity> {
  return Object.fromEntries(props.workloads.map((workload) => {
    new KubeResource<IServiceAccount>(scope, `${workload}-sa`, {
      object: {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: workload, namespace: props.namespace, labels: { ...props.labels, "app.kubernetes.io/name": workload, "app.kubernetes.io/component": props.role } },
        automountServiceAccountToken: false,
      },
    });
    return [workload, { kind: "kubernetes-service-account", name: workload, namespace: props.namespace } satisfies Identity];
  }));
}
