import type { LayerContext } from "../core/context";
import type { InterfaceContract } from "./contract";
import { GcpInterface } from "./gcp";
import { PortableInterface } from "./portable";

export * from "./contract";
export { GcpInterface, PortableInterface };

/** Layer 7. */
export function interfaceLayer(ctx: LayerContext): InterfaceContract {
  return ctx.env.stack === "gcp" ? new GcpInterface(ctx.workloads, "interface", ctx) : new PortableInterface(ctx.workloads, "interface", ctx);
}
