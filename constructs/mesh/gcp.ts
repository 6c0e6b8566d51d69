import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { NetworkServicesMesh } from "@cdktf/provider-google/lib/network-services-mesh";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import type { Naming } from "../core/context";
import type { ICloudRunMesh } from "../core/cloud-run";
import { enableApis } from "../core/gcp-apis";
import { addSuppressions } from "../policy";
import type { MeshContract } from "./contract";

export interface GcpMeshProps {
  readonly projectId: string;
  readonly names: Naming;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The Traffic Director client role a Cloud Run service in a mesh runs with (fetch its mesh configuration, report metrics). */
export const MESH_CLIENT_ROLE = "roles/trafficdirector.client";

/**
 * Cloud Service Mesh for Cloud Run: the `mesh` resource (Network Services
 * API, configured through Traffic Director) that every Cloud Run workload of
 * the stack joins (`template.service_mesh`, google-beta; `join` grants each
 * workload's service account the Traffic Director client role).
 *
 * No routes (`HTTPRoute`/`GRPCRoute`): a route gives a mesh client a name to
 * call another service by, and the domain catalog has no service-to-service
 * call (the gateway calls the services; the services talk only to Pub/Sub and
 * the stores; the projector takes no calls). A route with no caller would be
 * configuration nothing exercises.
 *
 * What is enforced: nothing here enforces mTLS. Google's guide
 * (cloud.google.com/service-mesh/docs/configure-cloud-service-mesh-for-cloud-run)
 * documents routing for Cloud Run mesh clients and that Cloud Run
 * authenticates the caller to the destination service with its Google
 * identity; it documents no mTLS or TLS policy for Cloud Run workloads, and
 * this stack creates none, so the output claims none. What protects
 * service-to-service traffic is authenticated invocation: every Cloud Run
 * service requires IAM (roles/run.invoker), held only by the gateway and the
 * operators. The `service_mesh` output says exactly that.
 */
export class GcpMesh extends Construct implements MeshContract, ICloudRunMesh {
  readonly meshName: string;
  /** `projects/P/locations/global/meshes/M` */
  readonly meshId: string;
  readonly mtls = "NOT_ENFORCED" as const;
  readonly enforcement =
    "Every Cloud Run service is joined to the Cloud Service Mesh mesh (no routes: the domain catalog has no service-to-service call). mTLS is not enforced: no mTLS policy is configured (Google documents none for Cloud Run mesh workloads). Enforced instead: authenticated invocation - every Cloud Run service requires IAM (roles/run.invoker), held only by the API gateway's service account and the configured operators; processors have internal ingress and no invoker.";
  private readonly projectId: string;
  /** One grant per client key. */
  private readonly clients = new Map<string, ProjectIamMember>();

  constructor(scope: Construct, id: string, props: GcpMeshProps) {
    super(scope, id);
    this.projectId = props.projectId;
    this.meshName = props.names.resource("mesh");
    const apis = enableApis(this, props.projectId, ["networkservices.googleapis.com", "trafficdirector.googleapis.com"]);
    const mesh = new NetworkServicesMesh(this, "mesh", {
      project: props.projectId,
      name: this.meshName,
      labels: props.labels ? { ...props.labels } : undefined,
      description: `HexProperty ${props.names.environment} service mesh`,
      dependsOn: apis,
    });
    this.meshId = mesh.id;
  }

  /** `member` may fetch the mesh's configuration (roles/trafficdirector.client on the project: the role has no narrower level). */
  grantClient(key: string, member: string): ITerraformDependable {
    const id = `client-${key}`;
    const granted = this.clients.get(id);
    if (granted) return granted;
    const grant = new ProjectIamMember(this, id, { project: this.projectId, role: MESH_CLIENT_ROLE, member });
    addSuppressions(grant, [{
      rule: "gcp-iam-project-grant-conditioned",
      reason: `${MESH_CLIENT_ROLE} only reads mesh configuration and reports proxy metrics (trafficdirector.networks.getConfigs/reportMetrics); it is granted on the project, there is no per-mesh form.`,
    }]);
    this.clients.set(id, grant);
    return grant;
  }
}
