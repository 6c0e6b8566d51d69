import { Construct } from "constructs";
import { NetworkServicesMesh } from "@cdktf/provider-google/lib/network-services-mesh";
import type { LayerContext } from "../core/context";
import type { MeshContract } from "./contract";

/** Cloud Service Mesh for Cloud Run: the mesh (routes follow in the gcp stack issue). */
export class GcpMesh extends Construct implements MeshContract {
  readonly meshName: string;
  readonly mtls = "STRICT" as const;

  constructor(scope: Construct, id: string, ctx: LayerContext) {
    super(scope, id);
    this.meshName = ctx.names.resource("mesh");
    new NetworkServicesMesh(this, "mesh", { project: ctx.env.gcp!.projectId, name: this.meshName, labels: ctx.env.labels, description: `HexProperty ${ctx.env.name} service mesh` });
  }
}
