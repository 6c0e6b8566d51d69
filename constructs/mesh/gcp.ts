import { Construct } from "constructs";
import { NetworkServicesMesh } from "@cdktf/provider-google/lib/network-services-mesh";
import type { Naming } from "../core/context";
import type { MeshContract } from "./contract";

export interface GcpMeshProps {
  readonly projectId: string;
  readonly names: Naming;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Cloud Service Mesh for Cloud Run: the mesh resource, with no routes and no
 * service joined to it. Joining needs the google-beta Cloud Run resource and
 * routes need service-to-service calls to route, and the domain catalog has
 * none (the gateway calls the services; the services talk only to Pub/Sub
 * and the stores). Cloud Service Mesh on Cloud Run does not enforce mTLS
 * between services, so this layer enforces nothing itself; what protects
 * service-to-service traffic is authenticated invocation, enforced by the
 * microservices layer (IAM on every Cloud Run service). The `service_mesh`
 * output says exactly that.
 */
export class GcpMesh extends Construct implements MeshContract {
  readonly meshName: string;
  readonly mtls = "NOT_ENFORCED" as const;
  readonly enforcement =
    "mTLS between Cloud Run services is not enforced (no service is joined to the mesh, and Cloud Service Mesh on Cloud Run has no mTLS policy). Enforced instead: authenticated invocation - every Cloud Run service requires IAM (roles/run.invoker), held only by the API gateway's service account and the configured operators; processors have internal ingress and no invoker.";

  constructor(scope: Construct, id: string, props: GcpMeshProps) {
    super(scope, id);
    this.meshName = props.names.resource("mesh");
    new NetworkServicesMesh(this, "mesh", { project: props.projectId, name: this.meshName, labels: props.labels ? { ...props.labels } : undefined, description: `HexProperty ${props.names.environment} service mesh` });
  }
}
