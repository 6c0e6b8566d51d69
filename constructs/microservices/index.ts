import type { LayerContext } from "../core/context";
import type { MicroservicesContract } from "./contract";
import { GcpMicroservices } from "./gcp";
import { PortableMicroservices } from "./portable";

export * from "./contract";
export { GcpMicroservices, PortableMicroservices };

/** Layer 2. */
export function microservicesLayer(ctx: LayerContext, services: readonly string[]): MicroservicesContract {
  return ctx.env.stack === "gcp" ? new GcpMicroservices(ctx.workloads, "microservices", ctx, services) : new PortableMicroservices(ctx.workloads, "microservices", ctx, services);
}
