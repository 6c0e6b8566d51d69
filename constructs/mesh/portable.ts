import { Construct } from "constructs";
import { platformScope, type LayerContext } from "../core/context";
import { CHARTS } from "../core/charts";
import { PinnedRelease } from "../core/helm";
import { CustomResource } from "../core/manifest";
import type { MeshContract } from "./contract";

/** Istio (base + istiod in the platform stack) and namespace-wide STRICT mTLS; DestinationRules and AuthorizationPolicies follow in the portable stack issue. */
export class PortableMesh extends Construct implements MeshContract {
  readonly meshName = "istio";
  readonly mtls = "STRICT" as const;

  constructor(scope: Construct, id: string, ctx: LayerContext) {
    super(scope, id);
    const platform = platformScope(ctx, id);
    const base = new PinnedRelease(platform, "istio-base", { pin: CHARTS.istioBase, name: "istio-base", namespace: "istio-system" });
    new PinnedRelease(platform, "istiod", { pin: CHARTS.istiod, name: "istiod", namespace: "istio-system", values: { meshConfig: { outboundTrafficPolicy: { mode: "REGISTRY_ONLY" } } }, dependsOn: [base.release] });
    new CustomResource(this, "strict-mtls", {
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      name: "default",
      namespace: ctx.env.portable!.namespace,
      labels: ctx.env.labels,
      spec: { mtls: { mode: "STRICT" } },
    });
  }
}
