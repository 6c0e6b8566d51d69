import { Construct } from "constructs";
import { CHARTS } from "../core/charts";
import { PinnedRelease } from "../core/helm";
import { CustomResource } from "../core/manifest";
import type { MeshContract } from "./contract";

/** The values this layer sets on the istiod chart (manifests/charts/istio-control/istio-discovery/values.yaml, 1.27). */
export interface IstiodChartValues {
  readonly meshConfig: { readonly outboundTrafficPolicy: { readonly mode: "REGISTRY_ONLY" | "ALLOW_ANY" } };
  /** With the CNI node agent, injected pods get no NET_ADMIN/NET_RAW init container: they pass Pod Security `restricted`. */
  readonly pilot: { readonly cni: { readonly enabled: boolean; readonly provider: "default" }; readonly env: Readonly<Record<string, string>> };
}

/** The values this layer sets on the cni chart (manifests/charts/istio-cni/values.yaml, 1.27). */
export interface IstioCniChartValues {
  readonly cni: { readonly ambient: { readonly enabled: false }; readonly excludeNamespaces: readonly string[] };
}

export interface PortableMeshProps {
  /** The workloads' namespace, where STRICT mTLS is enforced. */
  readonly namespace: string;
  /** Services others call: service -> the workload principals allowed to call it (`cluster.local/ns/<ns>/sa/<sa>`). @default - none */
  readonly callers?: Readonly<Record<string, readonly string[]>>;
  /** Workloads nobody calls (processors): every request to them is denied. @default - none */
  readonly uncalled?: readonly string[];
  /** Connections (TCP) and pending requests one client's sidecar keeps to a service. @default 100 */
  readonly maxConnections?: number;
  /** Consecutive 5xx before a pod is ejected from the load-balancing pool. @default 5 */
  readonly consecutive5xxErrors?: number;
  /** Where Istio's charts (and CRDs) go. @default - this construct */
  readonly platform?: Construct;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Istio: base, the CNI node agent and istiod (platform stack), namespace-wide
 * STRICT mTLS, one AuthorizationPolicy per workload that allows exactly its
 * callers (and denies every call to a processor), and one DestinationRule per
 * called service with connection limits and outlier detection.
 */
export class PortableMesh extends Construct implements MeshContract {
  readonly meshName = "istio";
  readonly mtls = "STRICT" as const;
  readonly enforcement = "Istio PeerAuthentication mode STRICT in the workloads' namespace: sidecars refuse plaintext; AuthorizationPolicies allow each service only its callers' identities.";

  constructor(scope: Construct, id: string, props: PortableMeshProps) {
    super(scope, id);
    const platform = props.platform ?? this;
    const labels = props.labels ? { ...props.labels } : undefined;
    const ns = props.namespace;
    const base = new PinnedRelease(platform, "istio-base", { pin: CHARTS.istioBase, name: "istio-base", namespace: "istio-system" });
    const cniValues: IstioCniChartValues = { cni: { ambient: { enabled: false }, excludeNamespaces: ["kube-system", "istio-system"] } };
    const cni = new PinnedRelease(platform, "istio-cni", { pin: CHARTS.istioCni, name: "istio-cni", namespace: "istio-system", values: cniValues as unknown as Record<string, unknown>, dependsOn: [base.release] });
    const istiod: IstiodChartValues = {
      meshConfig: { outboundTrafficPolicy: { mode: "REGISTRY_ONLY" } },
      pilot: { cni: { enabled: true, provider: "default" }, env: { ENABLE_NATIVE_SIDECARS: "true" } },
    };
    new PinnedRelease(platform, "istiod", { pin: CHARTS.istiod, name: "istiod", namespace: "istio-system", values: istiod as unknown as Record<string, unknown>, dependsOn: [base.release, cni.release] });
    new CustomResource(this, "strict-mtls", {
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      name: "default",
      namespace: ns,
      labels,
      spec: { mtls: { mode: "STRICT" } },
    });

    for (const [service, principals] of Object.entries(props.callers ?? {})) {
      new CustomResource(this, `${service}-callers`, {
        apiVersion: "security.istio.io/v1",
        kind: "AuthorizationPolicy",
        name: `${service}-callers`,
        namespace: ns,
        labels,
        spec: { selector: { matchLabels: { "app.kubernetes.io/name": service } }, action: "ALLOW", rules: [{ from: [{ source: { principals: [...principals].sort() } }] }] },
      });
      new CustomResource(this, `${service}-traffic`, {
        apiVersion: "networking.istio.io/v1",
        kind: "DestinationRule",
        name: service,
        namespace: ns,
        labels,
        spec: {
          host: `${service}.${ns}.svc.cluster.local`,
          trafficPolicy: {
            tls: { mode: "ISTIO_MUTUAL" },
            connectionPool: {
              tcp: { maxConnections: props.maxConnections ?? 100, connectTimeout: "2s" },
              http: { http1MaxPendingRequests: props.maxConnections ?? 100, http2MaxRequests: (props.maxConnections ?? 100) * 10, maxRetries: 3 },
            },
            outlierDetection: { consecutive5xxErrors: props.consecutive5xxErrors ?? 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 },
          },
        },
      });
    }
    // An ALLOW policy without rules matches nothing: every request to the workload is denied.
    for (const workload of props.uncalled ?? []) {
      new CustomResource(this, `${workload}-no-callers`, {
        apiVersion: "security.istio.io/v1",
        kind: "AuthorizationPolicy",
        name: `${workload}-no-callers`,
        namespace: ns,
        labels,
        spec: { selector: { matchLabels: { "app.kubernetes.io/name": workload } }, action: "ALLOW" },
      });
    }
  }
}
