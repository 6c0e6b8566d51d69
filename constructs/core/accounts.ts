import { Construct } from "constructs";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import type { IServiceAccount } from "kubernetes-models/v1";
import { KubeResource } from "./kube";
import type { LayerContext } from "./context";
import type { Identity } from "./identity";

/**
 * One identity per workload, with no permissions of its own: every access
 * is added later by a layer's grant method. On gcp a service account; on
 * portable a Kubernetes ServiceAccount without an automounted API token.
 */
/** What a workload is; also its `app.kubernetes.io/component` label value, so it must be a valid label value. */
export type WorkloadRole = "microservice" | "event-processor";
const ROLE_TEXT: Record<WorkloadRole, string> = { microservice: "microservice", "event-processor": "event processor" };

export function workloadIdentities(scope: Construct, ctx: LayerContext, workloads: readonly string[], role: WorkloadRole): Record<string, Identity> {
  const purpose = ROLE_TEXT[role];
  const identities: Record<string, Identity> = {};
  for (const workload of workloads) {
    if (ctx.env.stack === "gcp") {
      const gcp = ctx.env.gcp!;
      const account = new ServiceAccount(scope, `${workload}-sa`, {
        project: gcp.projectId,
        accountId: ctx.names.short(workload),
        displayName: `HexProperty ${ctx.env.name} ${workload} (${purpose})`,
        description: `Runs the ${workload} ${purpose}; permissions come only from explicit grants.`,
      });
      identities[workload] = { kind: "gcp-service-account", name: workload, email: account.email };
    } else {
      const portable = ctx.env.portable!;
      new KubeResource<IServiceAccount>(scope, `${workload}-sa`, {
        object: {
          apiVersion: "v1",
          kind: "ServiceAccount",
          metadata: { name: workload, namespace: portable.namespace, labels: { ...ctx.env.labels, "app.kubernetes.io/name": workload, "app.kubernetes.io/component": role } },
          automountServiceAccountToken: false,
        },
      });
      identities[workload] = { kind: "kubernetes-service-account", name: workload, namespace: portable.namespace };
    }
  }
  return identities;
}
