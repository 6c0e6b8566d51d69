import { Construct } from "constructs";
import { platformScope, type LayerContext } from "../core/context";
import { CHARTS } from "../core/charts";
import { PinnedRelease } from "../core/helm";
import type { InterfaceContract } from "./contract";

/** Kong ingress controller (platform stack); KongPlugins and routes from the OpenAPI follow in the portable stack issue. */
export class PortableInterface extends Construct implements InterfaceContract {
  readonly auth: InterfaceContract["auth"];

  constructor(scope: Construct, id: string, ctx: LayerContext) {
    super(scope, id);
    new PinnedRelease(platformScope(ctx, id), "kong", {
      pin: CHARTS.kong,
      name: "kong",
      namespace: ctx.names.resource("edge"),
      values: { ingressController: { enabled: true, installCRDs: false }, admin: { enabled: false }, manager: { enabled: false }, proxy: { type: "LoadBalancer" } },
    });
    this.auth = ctx.env.auth;
  }
}
