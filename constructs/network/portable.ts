import { Construct } from "constructs";
import { KubeResource } from "../core/kube";
import { flowPolicy } from "../core/kube-workload";

export interface PortableNamespacePoliciesProps {
  /** The workloads' namespace. */
  readonly namespace: string;
  /** Namespace of istiod (xDS and certificates for every sidecar). @default "istio-system" */
  readonly istioNamespace?: string;
  /** Namespace of the cluster DNS. @default "kube-system" */
  readonly dnsNamespace?: string;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The namespace-wide default deny, ingress and egress, next to the
 * Namespace (platform stack), and the flows every pod needs whatever it is:
 * DNS and istiod (each pod's sidecar). Every other flow is allowed by the
 * layer that owns its target, from the grants.
 */
export class PortableNamespacePolicies extends Construct {
  readonly defaultDeny: KubeResource;

  constructor(scope: Construct, id: string, props: PortableNamespacePoliciesProps) {
    super(scope, id);
    const { namespace } = props;
    const labels = props.labels ? { ...props.labels } : undefined;
    this.defaultDeny = new KubeResource(this, "default-deny", {
      object: {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "default-deny", namespace, labels },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      } as KubeResource["object"],
    });
    flowPolicy(this, "dns", { namespace, name: "allow-dns", subject: {}, direction: "Egress", peers: [{ namespace: props.dnsNamespace ?? "kube-system", pods: { "k8s-app": "kube-dns" } }], dns: true, reason: "platform: name resolution (cluster DNS)", labels });
    flowPolicy(this, "istiod", { namespace, name: "allow-istiod", subject: {}, direction: "Egress", peers: [{ namespace: props.istioNamespace ?? "istio-system", pods: { app: "istiod" } }], ports: [15012], reason: "platform: every sidecar's configuration and certificates (istiod xDS)", labels });
  }
}
