import { Construct } from "constructs";
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import type { ServiceScaling } from "../../environments";
import { kubernetesServiceAccounts } from "../core/accounts";
import { allowIngressFromNamespace, ENVOY_METRICS_PORT, kafkaUserEnvironment, KubernetesWorkload } from "../core/kube-workload";
import { missingWorkloadSetting } from "../errors";
import type { ApplicationContract } from "./contract";
import type { SecretSource, WorkloadBackends } from "../microservices/contract";

export interface PortableApplicationProps {
  readonly namespace: string;
  readonly processors: readonly string[];
  /** Image per processor (tag other than latest, or digest). */
  readonly images: Readonly<Record<string, string>>;
  /** Replicas and size per processor. */
  readonly scaling: Readonly<Record<string, ServiceScaling>>;
  /** Namespace of Prometheus, which scrapes each pod's Envoy metrics. */
  readonly monitoringNamespace: string;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Kafka-consuming processors: each with its own ServiceAccount and, once
 * `run` hands it its manifest, the same hardened Deployment, Service (health
 * and metrics only: nothing calls a processor), HPA and PDB as a microservice.
 */
export class PortableApplication extends Construct implements ApplicationContract {
  readonly identities: ApplicationContract["identities"];
  readonly workloads: Record<string, KubernetesWorkload> = {};
  private readonly props: PortableApplicationProps;

  constructor(scope: Construct, id: string, props: PortableApplicationProps) {
    super(scope, id);
    this.props = props;
    this.identities = kubernetesServiceAccounts(this, { namespace: props.namespace, workloads: props.processors, role: "event-processor", labels: props.labels });
  }

  /** `backends`: what each processor uses; only the secret references of those backends reach its container. @default - every backend */
  run(manifests: Readonly<Record<string, RuntimeManifest>>, _secrets?: ReadonlyMap<string, SecretSource>, backends?: WorkloadBackends): void {
    const p = this.props;
    for (const processor of p.processors) {
      const image = p.images[processor];
      const scaling = p.scaling[processor];
      const manifest = manifests[processor];
      if (!image || !scaling || !manifest) throw missingWorkloadSetting(processor, !image ? "image" : !scaling ? "scaling" : "manifest");
      this.workloads[processor] = new KubernetesWorkload(this, processor, { namespace: p.namespace, workload: processor, role: "event-processor", image, scaling, manifest, env: kafkaUserEnvironment(processor), backends: backends?.[processor], labels: p.labels });
      allowIngressFromNamespace(this, `${processor}-from-monitoring`, { namespace: p.namespace, name: `${processor}-from-monitoring`, podSelector: { "app.kubernetes.io/name": processor }, fromNamespace: p.monitoringNamespace, ports: [ENVOY_METRICS_PORT], reason: `telemetry: Prometheus scrapes ${processor}'s Envoy metrics`, labels: p.labels });
    }
  }
}
