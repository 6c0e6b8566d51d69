import { Construct } from "constructs";
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import type { ServiceScaling } from "../../environments";
import { gcpServiceAccountOf, gcpServiceAccounts } from "../core/accounts";
import { enableApis } from "../core/gcp-apis";
import { CloudRunWorkload, type GcpWorkloadSettings } from "../core/cloud-run";
import type { IGcpNetwork } from "../network/gcp";
import { imageReference, imageRegistry } from "../microservices/gcp";
import { unknownWorkload, unsupportedCloudRunSize } from "../errors";
import type { ApplicationContract } from "./contract";
import type { SecretSource, WorkloadBackends } from "../microservices/contract";

export interface GcpApplicationProps extends GcpWorkloadSettings {
  /** The event processors, one identity each. */
  readonly processors: readonly string[];
  /** Instances, vCPU and memory per processor; at least one instance, CPU always allocated. @default - 1..1 instance of 1 vCPU / 512 MiB */
  readonly scaling?: Readonly<Record<string, ServiceScaling>>;
  /** Image digest per processor in the repository `<env>-images` (the microservices layer's). @default - none: `run` refuses a processor without one */
  readonly imageDigests?: Readonly<Record<string, string>>;
  /** Direct VPC egress (Memorystore is reached over it). @default - none */
  readonly network?: IGcpNetwork;
  /** Processors refuse `terraform destroy`. @default false */
  readonly deletionProtection?: boolean;
}

const DEFAULT_SCALING: ServiceScaling = { minInstances: 1, maxInstances: 1, cpu: 1, memoryMiB: 512 };

/**
 * Event processors as Cloud Run workers that pull their Pub/Sub
 * subscriptions (the runtime's bus is a streaming-pull subscriber, with the
 * retry and dead-letter policy of the event layer's subscriptions): each its
 * own service account, CPU always allocated and at least one instance (a pull
 * subscriber with no instance pulls nothing), internal ingress and no invoker
 * at all: nothing calls a processor; its HTTP port serves only the probes.
 */
export class GcpApplication extends Construct implements ApplicationContract {
  readonly identities: ApplicationContract["identities"];
  readonly workloads = new Map<string, CloudRunWorkload>();

  constructor(scope: Construct, id: string, private readonly props: GcpApplicationProps) {
    super(scope, id);
    this.identities = gcpServiceAccounts(this, { projectId: props.projectId, names: props.names, workloads: props.processors, role: "event-processor" });
  }

  /** `backends`: what each processor uses; only those secrets are mounted. @default - every backend */
  run(manifests: Readonly<Record<string, RuntimeManifest>>, secrets?: ReadonlyMap<string, SecretSource>, backends?: WorkloadBackends): void {
    const p = this.props;
    const apis = enableApis(this, p.projectId, ["run.googleapis.com", "pubsub.googleapis.com"]);
    for (const processor of p.processors) {
      if (this.workloads.has(processor)) continue;
      const manifest = manifests[processor];
      if (!manifest) throw unknownWorkload(processor, Object.keys(manifests));
      const identity = gcpServiceAccountOf(this.identities, processor);
      const scaling = p.scaling?.[processor] ?? DEFAULT_SCALING;
      if (scaling.minInstances < 1) throw unsupportedCloudRunSize(processor, "minInstances", scaling.minInstances, "a processor pulls its subscriptions, so at least 1 instance must run");
      this.workloads.set(processor, new CloudRunWorkload(this, processor, {
        projectId: p.projectId,
        region: p.region,
        name: p.names.resource(processor),
        workload: processor,
        serviceAccountEmail: identity.email,
        image: imageReference(imageRegistry(p.region, p.projectId, p.names), processor, p.imageDigests?.[processor]),
        imageSetting: `gcp.imageDigests.${processor}`,
        scaling,
        manifest,
        secrets,
        backends: backends?.[processor],
        ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY",
        alwaysOnCpu: true,
        network: p.network,
        deletionProtection: p.deletionProtection,
        collectorImage: p.collectorImage,
        betaProvider: p.betaProvider,
        mesh: p.mesh,
        labels: p.labels,
        dependsOn: apis,
      }));
    }
  }
}
