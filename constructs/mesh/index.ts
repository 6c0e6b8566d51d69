import type { LayerContext } from "../core/context";
import type { MeshContract } from "./contract";
import { GcpMesh } from "./gcp";
import { PortableMesh } from "./portable";

export * from "./contract";
export { GcpMesh, PortableMesh };

/** Layer 8. */
export function meshLayer(ctx: LayerContext): MeshContract {
  return ctx.env.stack === "gcp" ? new GcpMesh(ctx.workloads, "mesh", ctx) : new PortableMesh(ctx.workloads, "mesh", ctx);
}
