import { Construct } from "constructs";
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import { kubernetesServiceAccounts } from "../core/accounts";
import { allowIngressFromNamespace, KubernetesWorkload, runPortableWorkload, type PortableWorkloadSettings } from "../core/kube-workload";
import type { MicroservicesContract, SecretSource, WorkloadBackends } from "./contract";

export interface PortableMicroservicesProps extends PortableWorkloadSettings {
  readonly services: readonly string[];
  /** Namespace of the API gateway (Kong), the only caller of the services. */
  readonly gatewayNamespace: string;
  /** Port every service listens on. @default 8080 */
  readonly port?: number;
}

/**
 * Per service: its ServiceAccount, and once `run` hands it its manifest a
 * hardened Deployment, Service, HPA and PDB (KubernetesWorkload), plus the
 * NetworkPolicies that admit the gateway (the services' only caller) and
 * Prometheus.
 */
export class PortableMicroservices extends Construct implements MicroservicesContract {
  readonly identities: MicroservicesContract["identities"];
  readonly endpoints: MicroservicesContract["endpoints"];
  readonly workloads: Record<string, KubernetesWorkload> = {};
  private readonly props: PortableMicroservicesProps;

  constructor(scope: Construct, id: string, props: PortableMicroservicesProps) {
    super(scope, id);
    this.props = props;
    this.identities = kubernetesServiceAccounts(this, { namespace: props.namespace, workloads: props.services, role: "microservice", labels: props.labels });
    this.endpoints = Object.fromEntries(props.services.map((s) => [s, `http://${s}.${props.namespace}.svc.cluster.local:${props.port ?? 8080}`]));
  }

  /** `backends`: what each service uses; only the secret references of those backends reach its container. @default - every backend */
  run(manifests: Readonly<Record<string, RuntimeManifest>>, _secrets?: ReadonlyMap<string, SecretSource>, backends?: WorkloadBackends): void {
    const p = this.props;
    const port = p.port ?? 8080;
    for (const service of p.services) {
      this.workloads[service] = runPortableWorkload(this, service, "microservice", p, manifests, {
        backends: backends?.[service],
        port,
        allow: (podSelector) => allowIngressFromNamespace(this, `${service}-from-gateway`, { namespace: p.namespace, name: `${service}-from-gateway`, podSelector, fromNamespace: p.gatewayNamespace, ports: [port], reason: `catalog: microservices.${service} (the gateway routes the OpenAPI paths of ${service})`, labels: p.labels }),
      });
    }
  }
}
