import type { LayerContext } from "../core/context";
import type { DomainContract } from "../domain";
import type { EventsContract } from "./contract";
import { GcpEvents } from "./gcp";
import { PortableEvents } from "./portable";

export * from "./contract";
export { GcpEvents, PortableEvents };

/** Layer 4: the stack asks for the contract; the layer picks the implementation. */
export function eventsLayer(ctx: LayerContext, domain: DomainContract): EventsContract {
  return ctx.env.stack === "gcp" ? new GcpEvents(ctx.workloads, "events", ctx, domain) : new PortableEvents(ctx.workloads, "events", ctx, domain);
}
