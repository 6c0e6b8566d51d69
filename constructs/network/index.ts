import type { GcpLayerContext } from "../core/context";
import { GcpNetwork, type IGcpNetwork } from "./gcp";

export { GcpNetwork };
export { PortableNamespacePolicies } from "./portable";
export type { PortableNamespacePoliciesProps } from "./portable";
export type { GcpNetworkProps, IGcpNetwork } from "./gcp";

/**
 * The gcp stack's VPC (created once, by whichever layer asks first): stores
 * attach to it through Private Service Access, workloads egress through it.
 * Only gcp layers' index.ts call this; the portable stack has no VPC of its own.
 */
export function gcpNetwork(ctx: GcpLayerContext): IGcpNetwork {
  const existing = ctx.workloads.node.tryFindChild("network");
  if (existing) return existing as GcpNetwork;
  const n = ctx.env.gcp.network;
  return new GcpNetwork(ctx.workloads, "network", { projectId: ctx.env.gcp.projectId, region: ctx.env.gcp.region, names: ctx.names, subnetCidr: n.subnetCidr, serviceAccessPrefixLength: n.serviceAccessPrefixLength });
}
