import { Construct } from "constructs";
import { CHARTS } from "../core/charts";
import { PinnedRelease } from "../core/helm";
import { CustomResource } from "../core/manifest";
import type { MeshContract } from "./contract";

export interface PortableMeshProps {
  /** The workloads' namespace, where STRICT mTLS is enforced. */
  readonly namespace: string;
  /** Where Istio's charts (and CRDs) go. @default - this construct */
  readonly platform?: Construct;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Istio (base + istiod in the platform stack) and namespace-wide STRICT mTLS; DestinationRules and AuthorizationPolicies follow in the portable stack issue. */
export class PortableMesh extends Construct implements MeshContract {
  readonly meshName = "istio";
  readonly mtls = "STRICT" as const;
  readonly enforcement = "Istio PeerAuthentication mode STRICT in the workloads' namespace: sidecars refuse plaintext.";

  constructor(scope: Construct, id: string, props: PortableMeshProps) {
    super(scope, id);
    const platform = props.platform ?? this;
    const base = new PinnedRelease(platform, "istio-base", { pin: CHARTS.istioBase, name: "istio-base", namespace: "istio-system" });
    new PinnedRelease(platform, "istiod", { pin: CHARTS.istiod, name: "istiod", namespace: "istio-system", values: { meshConfig: { outboundTrafficPolicy: { mode: "REGISTRY_ONLY" } } }, dependsOn: [base.release] });
    new CustomResource(this, "strict-mtls", {
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      name: "default",
      namespace: props.namespace,
      labels: props.labels ? { ...props.labels } : undefined,
      spec: { mtls: { mode: "STRICT" } },
    });
  }
}
