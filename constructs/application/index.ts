import type { LayerContext } from "../core/context";
import type { ApplicationContract } from "./contract";
import { GcpApplication } from "./gcp";
import { PortableApplication } from "./portable";

export * from "./contract";
export { GcpApplication, PortableApplication };

/** Layer 3. */
export function applicationLayer(ctx: LayerContext, processors: readonly string[]): ApplicationContract {
  return ctx.env.stack === "gcp" ? new GcpApplication(ctx.workloads, "application", ctx, processors) : new PortableApplication(ctx.workloads, "application", ctx, processors);
}
