import { Construct } from "constructs";
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import type { ServiceScaling } from "../../environments";
import { kubernetesServiceAccounts } from "../core/accounts";
import { allowIngressFromNamespace, ENVOY_METRICS_PORT, kafkaUserEnvironment, KubernetesWorkload } from "../core/kube-workload";
import { missingWorkloadSetting } from "../errors";
import type { MicroservicesContract, SecretSource, WorkloadBackends } from "./contract";

export interface PortableMicroservicesProps {
  readonly namespace: string;
  readonly services: readonly string[];
  /** Image per service (tag other than latest, or digest). */
  readonly images: Readonly<Record<string, string>>;
  /** Replicas and size per service. */
  readonly scaling: Readonly<Record<string, ServiceScaling>>;
  /** Namespace of the API gateway (Kong), the only caller of the services. */
  readonly gatewayNamespace: string;
  /** Namespace of Prometheus, which scrapes each pod's Envoy metrics. */
  readonly monitoringNamespace: string;
  /** Port every service listens on. @default 8080 */
  readonly port?: number;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
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
      const image = p.images[service];
      const scaling = p.scaling[service];
      const manifest = manifests[service];
      if (!image || !scaling || !manifest) throw missingWorkloadSetting(service, !image ? "image" : !scaling ? "scaling" : "manifest");
      this.workloads[service] = new KubernetesWorkload(this, service, { namespace: p.namespace, workload: service, role: "microservice", image, scaling, manifest, env: kafkaUserEnvironment(service), backends: backends?.[service], port, labels: p.labels });
      const selector = { "app.kubernetes.io/name": service };
      allowIngressFromNamespace(this, `${service}-from-gateway`, { namespace: p.namespace, name: `${service}-from-gateway`, podSelector: selector, fromNamespace: p.gatewayNamespace, ports: [port], reason: `catalog: microservices.${service} (the gateway routes the OpenAPI paths of ${service})`, labels: p.labels });
      allowIngressFromNamespace(this, `${service}-from-monitoring`, { namespace: p.namespace, name: `${service}-from-monitoring`, podSelector: selector, fromNamespace: p.monitoringNamespace, ports: [ENVOY_METRICS_PORT], reason: `telemetry: Prometheus scrapes ${service}'s Envoy metrics`, labels: p.labels });
    }
  }
}
