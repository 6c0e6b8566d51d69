import type { LayerContext } from "../core/context";
import { gcpNetwork } from "../network";
import { gcpMesh } from "../mesh";
import { unreachable } from "../errors";
import type { MicroservicesContract } from "./contract";
import { GcpMicroservices } from "./gcp";
import { PortableMicroservices } from "./portable";

export * from "./contract";
export { GcpMicroservices, PortableMicroservices };
export type { GcpMicroservicesProps } from "./gcp";
export type { PortableMicroservicesProps } from "./portable";

/** Layer 2: maps the environment to one implementation's props. */
export function microservicesLayer(ctx: LayerContext, services: readonly string[]): MicroservicesContract {
  switch (ctx.stack) {
    case "gcp":
      return new GcpMicroservices(ctx.workloads, "microservices", {
        projectId: ctx.env.gcp.projectId, projectNumber: ctx.projectNumber, region: ctx.env.gcp.region, names: ctx.names, services, labels: ctx.env.labels,
        scaling: ctx.env.services, imageDigests: ctx.env.gcp.imageDigests, network: gcpNetwork(ctx), operators: ctx.env.gcp.operators,
        deletionProtection: ctx.env.protection.deletionProtection, collectorImage: ctx.env.gcp.telemetryCollectorImage,
        betaProvider: ctx.beta, mesh: gcpMesh(ctx),
      });
    case "portable":
      return new PortableMicroservices(ctx.workloads, "microservices", {
        namespace: ctx.env.portable.namespace, services, labels: ctx.env.labels, images: ctx.env.portable.images, scaling: ctx.env.services,
        gatewayNamespace: ctx.names.resource("edge"), monitoringNamespace: ctx.env.portable.operatorsNamespace,
      });
    default:
      return unreachable(ctx, "stack");
  }
}
