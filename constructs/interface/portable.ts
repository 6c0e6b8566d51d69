import { Construct } from "constructs";
import { CHARTS } from "../core/charts";
import { PinnedRelease } from "../core/helm";
import type { InterfaceContract } from "./contract";

export interface PortableInterfaceProps {
  /** Namespace of the Kong gateway. */
  readonly namespace: string;
  readonly auth: InterfaceContract["auth"];
  /** Service type of Kong's proxy. @default "LoadBalancer" */
  readonly proxyServiceType?: "LoadBalancer" | "NodePort" | "ClusterIP";
  /** Where the chart goes. @default - this construct */
  readonly platform?: Construct;
}

/** Kong ingress controller (platform stack); KongPlugins and routes from the OpenAPI follow in the portable stack issue. */
export class PortableInterface extends Construct implements InterfaceContract {
  readonly auth: InterfaceContract["auth"];

  constructor(scope: Construct, id: string, props: PortableInterfaceProps) {
    super(scope, id);
    new PinnedRelease(props.platform ?? this, "kong", {
      pin: CHARTS.kong,
      name: "kong",
      namespace: props.namespace,
      values: { ingressController: { enabled: true, installCRDs: false }, admin: { enabled: false }, manager: { enabled: false }, proxy: { type: props.proxyServiceType ?? "LoadBalancer" } },
    });
    this.auth = props.auth;
  }
}
