import { Construct } from "constructs";
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import { kubernetesServiceAccounts } from "../core/accounts";
import { KubernetesWorkload, runPortableWorkload, type PortableWorkloadSettings } from "../core/kube-workload";
import type { ApplicationContract } from "./contract";
import type { SecretSource, WorkloadBackends } from "../microservices/contract";

export interface PortableApplicationProps extends PortableWorkloadSettings {
  readonly processors: readonly string[];
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
    for (const processor of p.processors) this.workloads[processor] = runPortableWorkload(this, processor, "event-processor", p, manifests, { backends: backends?.[processor] });
  }
}
