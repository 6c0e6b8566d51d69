import type { LayerContext } from "../core/context";
import { gcpNetwork } from "../network";
import { gcpMesh } from "../mesh";
import { unreachable } from "../errors";
import type { ApplicationContract } from "./contract";
import { GcpApplication } from "./gcp";
import { PortableApplication } from "./portable";

export * from "./contract";
export { GcpApplication, PortableApplication };
export type { GcpApplicationProps } from "./gcp";
export type { PortableApplicationProps } from "./portable";

/** Layer 3: maps the environment to one implementation's props. */
export function applicationLayer(ctx: LayerContext, processors: readonly string[]): ApplicationContract {
  switch (ctx.stack) {
    case "gcp":
      return new GcpApplication(ctx.workloads, "application", {
        projectId: ctx.env.gcp.projectId, region: ctx.env.gcp.region, names: ctx.names, processors, scaling: ctx.env.services, imageDigests: ctx.env.gcp.imageDigests,
        network: gcpNetwork(ctx), deletionProtection: ctx.env.protection.deletionProtection, collectorImage: ctx.env.gcp.telemetryCollectorImage, labels: ctx.env.labels,
        betaProvider: ctx.beta, mesh: gcpMesh(ctx),
      });
    case "portable":
      return new PortableApplication(ctx.workloads, "application", {
        namespace: ctx.env.portable.namespace, processors, labels: ctx.env.labels, images: ctx.env.portable.images, scaling: ctx.env.services, monitoringNamespace: ctx.env.portable.operatorsNamespace,
      });
    default:
      return unreachable(ctx, "stack");
  }
}
