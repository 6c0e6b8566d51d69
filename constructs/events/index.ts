import { platformScope, type LayerContext } from "../core/context";
import type { DomainContract } from "../domain";
import { unreachable } from "../errors";
import type { EventsContract } from "./contract";
import { GcpEvents } from "./gcp";
import { PortableEvents } from "./portable";

export * from "./contract";
export { GcpEvents, PortableEvents };
export type { GcpEventsProps } from "./gcp";
export type { PortableEventsProps } from "./portable";

/** Layer 4: the stack asks for the contract; this maps the environment to one implementation's props. */
export function eventsLayer(ctx: LayerContext, domain: DomainContract): EventsContract {
  switch (ctx.stack) {
    case "gcp":
      return new GcpEvents(ctx.workloads, "events", { projectId: ctx.env.gcp.projectId, projectNumber: ctx.projectNumber, region: ctx.env.gcp.region, names: ctx.names, domain, delivery: ctx.env.events, labels: ctx.env.labels });
    case "portable": {
      const p = ctx.env.portable;
      return new PortableEvents(ctx.workloads, "events", {
        namespace: p.namespace, operatorsNamespace: p.operatorsNamespace, names: ctx.names, domain, delivery: ctx.env.events,
        replicas: p.kafka.replicas, storageGi: p.kafka.storageGi, cpu: p.kafka.cpu, memoryMiB: p.kafka.memoryMiB, storageClass: p.storageClass, platform: platformScope(ctx, "events"), labels: ctx.env.labels,
      });
    }
    default:
      return unreachable(ctx, "stack");
  }
}
