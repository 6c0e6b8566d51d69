import type { LayerContext } from "../core/context";
import type { DataContract } from "./contract";
import { GcpData } from "./gcp";
import { PortableData } from "./portable";

export * from "./contract";
export { SPANNER_READ_MODEL_DDL } from "./read-model";
export { GcpData, PortableData };

/** Layer 5. */
export function dataLayer(ctx: LayerContext): DataContract {
  return ctx.env.stack === "gcp" ? new GcpData(ctx.workloads, "data", ctx) : new PortableData(ctx.workloads, "data", ctx);
}
