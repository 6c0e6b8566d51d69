import { platformScope, type GcpLayerContext, type LayerContext } from "../core/context";
import { unreachable } from "../errors";
import type { MeshContract } from "./contract";
import { GcpMesh } from "./gcp";
import { PortableMesh } from "./portable";

export * from "./contract";
export { GcpMesh, PortableMesh };
export type { GcpMeshProps } from "./gcp";
export type { PortableMeshProps } from "./portable";

/** Who calls whom (portable: AuthorizationPolicies): service -> caller principals; workloads nobody calls. */
export interface MeshCalls {
  readonly callers: Readonly<Record<string, readonly string[]>>;
  readonly uncalled: readonly string[];
}

/**
 * The gcp stack's mesh (created once, by whichever layer asks first): the
 * Cloud Run workloads of layers 2 and 3 join it, layer 8 reports it.
 */
export function gcpMesh(ctx: GcpLayerContext): GcpMesh {
  const existing = ctx.workloads.node.tryFindChild("mesh");
  if (existing) return existing as GcpMesh;
  return new GcpMesh(ctx.workloads, "mesh", { projectId: ctx.env.gcp.projectId, names: ctx.names, labels: ctx.env.labels });
}

/** Layer 8: maps the environment to one implementation's props. */
export function meshLayer(ctx: LayerContext, calls: MeshCalls = { callers: {}, uncalled: [] }): MeshContract {
  switch (ctx.stack) {
    case "gcp":
      return gcpMesh(ctx);
    case "portable":
      return new PortableMesh(ctx.workloads, "mesh", { namespace: ctx.env.portable.namespace, platform: platformScope(ctx, "mesh"), labels: ctx.env.labels, callers: calls.callers, uncalled: calls.uncalled });
    default:
      return unreachable(ctx, "stack");
  }
}
