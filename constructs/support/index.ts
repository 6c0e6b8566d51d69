import { platformScope, type LayerContext } from "../core/context";
import { unreachable } from "../errors";
import type { SupportContract } from "./contract";
import { GcpSupport } from "./gcp";
import { PortableSupport } from "./portable";

export * from "./contract";
export { GcpSupport, PortableSupport };
export type { GcpSupportProps } from "./gcp";
export type { PortableSupportProps } from "./portable";

/** Layer 6: maps the environment (telemetry keys) to one implementation's props. */
export function supportLayer(ctx: LayerContext): SupportContract {
  const { logLevel, traceSampleRatio, logRetentionDays } = ctx.env.telemetry;
  switch (ctx.stack) {
    case "gcp":
      return new GcpSupport(ctx.workloads, "support", { projectId: ctx.env.gcp.projectId, region: ctx.env.gcp.region, names: ctx.names, logRetentionDays, logLevel, traceSampleRatio });
    case "portable":
      return new PortableSupport(ctx.workloads, "support", { operatorsNamespace: ctx.env.portable.operatorsNamespace, logLevel, traceSampleRatio, platform: platformScope(ctx, "support") });
    default:
      return unreachable(ctx, "stack");
  }
}
