import type { LayerContext } from "../core/context";
import type { SupportContract } from "./contract";
import { GcpSupport } from "./gcp";
import { PortableSupport } from "./portable";

export * from "./contract";
export { GcpSupport, PortableSupport };

/** Layer 6. */
export function supportLayer(ctx: LayerContext): SupportContract {
  return ctx.env.stack === "gcp" ? new GcpSupport(ctx.workloads, "support", ctx) : new PortableSupport(ctx.workloads, "support", ctx);
}
