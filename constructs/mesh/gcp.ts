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
 * Cloud Service Mesh for Cloud Run: the mesh (routes and services joined to
 * it follow in the gcp stack issue). A mesh resource alone enforces no mTLS,
 * and the `service_mesh` output says so.
 */
export class GcpMesh extends Construct implements MeshContract {
  readonly meshName: string;
  readonly mtls = "NOT_ENFORCED" as const;
  readonly enforcement = "No mesh policy yet: Cloud Run services are not joined to the mesh, so nothing in this stack enforces mTLS between them.";

  constructor(scope: Construct, id: string, props: GcpMeshProps) {
    super(scope, id);
    this.meshName = props.names.resource("mesh");
    new NetworkServicesMesh(this, "mesh", { project: props.projectId, name: this.meshName, labels: props.labels ? { ...props.labels } : undefined, description: `HexProperty ${props.names.environment} service mesh` });
  }
}
