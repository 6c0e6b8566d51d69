import { Construct } from "constructs";
import type { ProjectService } from "@cdktf/provider-google/lib/project-service";
import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository";
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import type { ServiceScaling } from "../../environments";
import type { Naming } from "../core/context";
import { gcpServiceAccountOf, gcpServiceAccounts } from "../core/accounts";
import { enableApis } from "../core/gcp-apis";
import { CloudRunWorkload, type CloudRunIngress, type GcpWorkloadSettings } from "../core/cloud-run";
import { iamMember, type Identity } from "../core/identity";
import { concat } from "../core/tokens";
import type { IGcpNetwork } from "../network/gcp";
import { addSuppressions } from "../policy";
import { missingImageDigest, unknownWorkload } from "../errors";
import type { MicroservicesContract, SecretSource, WorkloadBackends } from "./contract";

export interface GcpMicroservicesProps extends GcpWorkloadSettings {
  /** Project number, for Cloud Run's deterministic service URLs. */
  readonly projectNumber: string;
  /** The request/response services, one identity each. */
  readonly services: readonly string[];
  /** Instances, vCPU and memory per service. @default - 0..3 instances of 1 vCPU / 512 MiB */
  readonly scaling?: Readonly<Record<string, ServiceScaling>>;
  /** Image digest (`sha256:...`) per service, in this construct's Artifact Registry repository. @default - none: `run` refuses a service without one */
  readonly imageDigests?: Readonly<Record<string, string>>;
  /** Direct VPC egress. @default - none */
  readonly network?: IGcpNetwork;
  /**
   * Network-level ingress. API Gateway calls the services' run.app URLs from
   * outside the VPC and is not one of the sources Cloud Run counts as
   * internal, so behind API Gateway it must be INGRESS_TRAFFIC_ALL; who may
   * call is then decided by IAM alone (`grantInvoke`). @default "INGRESS_TRAFFIC_ALL"
   */
  readonly ingress?: CloudRunIngress;
  /** IAM principals (group:..., user:...) that may call every service directly: operator routes such as /readyz. @default - none */
  readonly operators?: readonly string[];
  /** Requests per instance at once. @default 80 */
  readonly concurrency?: number;
  /** Services refuse `terraform destroy`. @default false */
  readonly deletionProtection?: boolean;
}

const DEFAULT_SCALING: ServiceScaling = { minInstances: 0, maxInstances: 3, cpu: 1, memoryMiB: 512 };

/**
 * Cloud Run services: per service its own service account, the image by
 * digest from the environment's Artifact Registry repository (immutable
 * tags), scaling from props, the runtime manifest handed in, invocation by
 * IAM only (the gateway and the operators).
 */
export class GcpMicroservices extends Construct implements MicroservicesContract {
  readonly identities: MicroservicesContract["identities"];
  readonly endpoints: MicroservicesContract["endpoints"];
  readonly repository: ArtifactRegistryRepository;
  readonly workloads = new Map<string, CloudRunWorkload>();
  private readonly apis: ProjectService[];

  constructor(scope: Construct, id: string, private readonly props: GcpMicroservicesProps) {
    super(scope, id);
    this.apis = enableApis(this, props.projectId, ["run.googleapis.com", "artifactregistry.googleapis.com", "iam.googleapis.com"]);
    this.repository = new ArtifactRegistryRepository(this, "images", {
      project: props.projectId,
      location: props.region,
      repositoryId: imageRepositoryId(props.names),
      format: "DOCKER",
      description: `HexProperty ${props.names.environment} service images`,
      labels: props.labels ? { ...props.labels } : undefined,
      dockerConfig: { immutableTags: true },
      dependsOn: this.apis,
    });
    this.identities = gcpServiceAccounts(this, { projectId: props.projectId, names: props.names, workloads: props.services, role: "microservice" });
    // Cloud Run's deterministic URL: https://SERVICE-PROJECT_NUMBER.REGION.run.app
    this.endpoints = Object.fromEntries(props.services.map((s) => [s, concat(`https://${props.names.resource(s)}-`, props.projectNumber, `.${props.region}.run.app`)]));
  }

  /** `backends`: what each service uses; only those secrets are mounted. @default - every backend */
  run(manifests: Readonly<Record<string, RuntimeManifest>>, secrets?: ReadonlyMap<string, SecretSource>, backends?: WorkloadBackends): void {
    const p = this.props;
    for (const service of p.services) {
      if (this.workloads.has(service)) continue;
      const manifest = manifests[service];
      if (!manifest) throw unknownWorkload(service, Object.keys(manifests));
      const workload = new CloudRunWorkload(this, service, {
        projectId: p.projectId,
        region: p.region,
        name: p.names.resource(service),
        workload: service,
        serviceAccountEmail: gcpServiceAccountOf(this.identities, service).email,
        image: imageReference(imageRegistry(p.region, p.projectId, p.names), service, p.imageDigests?.[service]),
        imageSetting: `gcp.imageDigests.${service}`,
        scaling: p.scaling?.[service] ?? DEFAULT_SCALING,
        manifest,
        secrets,
        backends: backends?.[service],
        ingress: p.ingress ?? "INGRESS_TRAFFIC_ALL",
        network: p.network,
        concurrency: p.concurrency,
        deletionProtection: p.deletionProtection,
        collectorImage: p.collectorImage,
        betaProvider: p.betaProvider,
        mesh: p.mesh,
        labels: p.labels,
        dependsOn: [...this.apis, this.repository],
      });
      if ((p.ingress ?? "INGRESS_TRAFFIC_ALL") === "INGRESS_TRAFFIC_ALL") {
        addSuppressions(workload, [{ rule: "gcp-run-ingress-not-all", reason: "API Gateway calls the run.app URL from outside the VPC and is not a source Cloud Run's internal ingress admits (cloud.google.com/run/docs/securing/ingress); the gateway is enforced by IAM instead: roles/run.invoker only for the gateway's service account and the configured operators, no allUsers." }]);
      }
      this.workloads.set(service, workload);
      for (const member of p.operators ?? []) workload.grantInvoke(`operator-${member.replace(/[^A-Za-z0-9]+/g, "-")}`, member);
    }
  }

  grantInvoke(service: string, identity: Identity): void {
    const workload = this.workloads.get(service);
    if (!workload) throw unknownWorkload(service, [...this.workloads.keys()]);
    workload.grantInvoke(identity.name, iamMember(identity));
  }
}

/** The id of the Artifact Registry repository that holds an environment's images. */
export function imageRepositoryId(names: Naming): string {
  return names.resource("images");
}

/** `<region>-docker.pkg.dev/<project>/<repository>`: where an environment's images are pushed (scripts/images.js) and pulled from. */
export function imageRegistry(region: string, projectId: string, names: Naming): string {
  return `${region}-docker.pkg.dev/${projectId}/${imageRepositoryId(names)}`;
}

/** `<registry>/<workload>@sha256:...`: pulled by digest, never by a tag that can move. */
export function imageReference(registry: string, workload: string, digest: string | undefined): string {
  if (!digest) throw missingImageDigest(workload);
  return `${registry}/${workload}@${digest}`;
}
