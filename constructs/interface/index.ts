import { platformScope, type LayerContext } from "../core/context";
import { unreachable } from "../errors";
import { openApiDocument } from "../../services/api/openapi";
import type { InterfaceContract } from "./contract";
import { GcpInterface } from "./gcp";
import type { OpenApi3Document } from "./gateway-openapi";
import { PortableInterface } from "./portable";

export * from "./contract";
export { GcpInterface, PortableInterface };
export type { GcpInterfaceProps } from "./gcp";
export type { PortableInterfaceProps } from "./portable";

/** Layer 7: maps the environment to one implementation's props; `backends`: each service's URL (the gateway routes to them). */
export function interfaceLayer(ctx: LayerContext, backends: Readonly<Record<string, string>> = {}): InterfaceContract {
  switch (ctx.stack) {
    case "gcp":
      return new GcpInterface(ctx.workloads, "interface", {
        projectId: ctx.env.gcp.projectId, region: ctx.env.gcp.region, names: ctx.names, betaProvider: ctx.beta, auth: ctx.env.auth, labels: ctx.env.labels,
        openApi: openApiDocument as unknown as OpenApi3Document, backends,
      });
    case "portable":
      return new PortableInterface(ctx.workloads, "interface", {
        namespace: ctx.names.resource("edge"), workloadsNamespace: ctx.env.portable.namespace, auth: ctx.env.auth, platform: platformScope(ctx, "interface"),
        openApi: openApiDocument as unknown as OpenApi3Document, proxyServiceType: ctx.env.portable.gateway.serviceType, rateLimitPerMinute: ctx.env.portable.gateway.rateLimitPerMinute,
        jwtCredentialSecret: ctx.names.resource("jwt-issuer"), issuerPublicKey: ctx.env.portable.gateway.issuerPublicKey, labels: ctx.env.labels,
      });
    default:
      return unreachable(ctx, "stack");
  }
}
