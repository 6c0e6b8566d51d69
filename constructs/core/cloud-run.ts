import { Construct } from "constructs";
import { TerraformLocal, TerraformStack, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { GoogleCloudRunV2Service } from "@cdktf/provider-google-beta/lib/google-cloud-run-v2-service";
import { GoogleCloudRunV2ServiceIamMember } from "@cdktf/provider-google-beta/lib/google-cloud-run-v2-service-iam-member";
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import type { ServiceScaling } from "../../environments";
import { PLACEHOLDER_DIGEST } from "../../environments/image-digests";
import type { IGcpNetwork } from "../network/gcp";
import type { Naming } from "./context";
import { usedSections, type SecretSource } from "../microservices/contract";
import type { Backend } from "../domain/catalog";
import { unmountableSecret, unsupportedCloudRunSize } from "../errors";
import { GrantLedger } from "./identity";

/** Who may reach a Cloud Run service at the network level (IAM is checked on every path). */
export type CloudRunIngress = "INGRESS_TRAFFIC_ALL" | "INGRESS_TRAFFIC_INTERNAL_ONLY" | "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER";

/** What the Cloud Run workload layers (microservices, event processors) take alike. */
export interface GcpWorkloadSettings {
  readonly projectId: string;
  readonly region: string;
  readonly names: Naming;
  /** The google-beta provider the Cloud Run services and their IAM are bound to. */
  readonly betaProvider: TerraformProvider;
  /** Cloud Service Mesh every workload joins. @default - not joined */
  readonly mesh?: ICloudRunMesh;
  /** OpenTelemetry Collector image run beside each workload. @default - none: traces are not exported */
  readonly collectorImage?: string;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A Cloud Service Mesh a workload joins (constructs/mesh/gcp.ts). */
export interface ICloudRunMesh {
  /** `projects/P/locations/global/meshes/M`, the form Cloud Run's `template.service_mesh.mesh` takes. */
  readonly meshId: string;
  /** Grants `member` what a mesh client needs (Traffic Director client); the service waits for the returned grant. */
  grantClient(key: string, member: string): ITerraformDependable;
}

export interface CloudRunWorkloadProps {
  readonly projectId: string;
  /**
   * The google-beta provider: the service and its IAM are the google-beta
   * resources (`template.service_mesh` exists only there), bound to it.
   */
  readonly betaProvider: TerraformProvider;
  readonly region: string;
  /** Service name (`hexproperty-<env>-<workload>`). */
  readonly name: string;
  /** The workload (for messages). */
  readonly workload: string;
  /** E-mail of the service account it runs as. */
  readonly serviceAccountEmail: string;
  /** Image by immutable digest reference (`...@sha256:...`). */
  readonly image: string;
  /** Where the image's digest is configured, named when `terraform apply` refuses the all-zero placeholder. @default "the image digest" */
  readonly imageSetting?: string;
  readonly scaling: ServiceScaling;
  /** Handed to the container as HEXPROPERTY_MANIFEST (the JSON; the runtime reads it first). */
  readonly manifest: RuntimeManifest;
  /** Secret reference name -> its secret and version resources; each Secret Manager reference of the manifest is mounted from them. @default - none: a Secret Manager reference of the manifest is an error */
  readonly secrets?: ReadonlyMap<string, SecretSource>;
  /**
   * The backends the workload uses (the domain catalog's grants): only the
   * secret references of their manifest sections are mounted; it holds no
   * secretAccessor on the others and never opens them. @default - every backend
   */
  readonly backends?: readonly Backend[];
  readonly ingress: CloudRunIngress;
  /** Direct VPC egress through this network's subnet, all traffic (Google APIs by Private Google Access, the rest by Cloud NAT). @default - no VPC egress */
  readonly network?: IGcpNetwork;
  /** CPU stays allocated between requests (background work such as pulling subscriptions); needs cpu >= 1. @default false */
  readonly alwaysOnCpu?: boolean;
  /** Requests one instance serves at once (forced to 1 below 1 vCPU, as Cloud Run requires). @default 80 */
  readonly concurrency?: number;
  /** Health route the startup and liveness probes call. @default "/healthz" */
  readonly healthPath?: string;
  /** Port the container listens on (Cloud Run passes it as PORT). @default 8080 */
  readonly port?: number;
  /** OpenTelemetry Collector image (by digest) run as a sidecar on localhost:4318, exporting to Cloud Trace and Cloud Monitoring. @default - no sidecar */
  readonly collectorImage?: string;
  /** Joins every revision to this mesh (launch stage BETA) and grants the service account its client role. @default - not joined */
  readonly mesh?: ICloudRunMesh;
  /** Refuse `terraform destroy` of the service. @default false */
  readonly deletionProtection?: boolean;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
  /** e.g. the APIs it needs. @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Every Secret Manager reference of the manifest, except those of the
 * backends the workload does not use, mounted the way the runtime resolves
 * it (runtime/src/secrets.ts): the referenced version as the environment
 * variable HEXPROPERTY_SECRET_<SECRET ID>. Values never pass through
 * Terraform here: Cloud Run reads them from Secret Manager.
 */
export function secretEnvironment(workload: string, manifest: RuntimeManifest, sources: ReadonlyMap<string, SecretSource>, backends?: readonly Backend[]): Array<{ name: string; valueSource: { secretKeyRef: SecretSource } }> {
  const refs = new Map<string, SecretSource>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.kind === "secret-manager" && typeof o.name === "string") {
        const source = sources.get(o.name);
        if (!source) throw unmountableSecret(workload, o.name);
        refs.set(`HEXPROPERTY_SECRET_${(o.name.split("/")[3] ?? "").toUpperCase().replace(/[^A-Z0-9]/g, "_")}`, { secret: source.secret, version: source.version });
      } else Object.values(o).forEach(visit);
    }
  };
  for (const [, value] of usedSections(manifest, backends)) visit(value);
  return [...refs].map(([name, secretKeyRef]) => ({ name, valueSource: { secretKeyRef } }));
}

/**
 * `terraform.applying` (Terraform >= 1.10) as a local of the stack: true only
 * while applying, so a precondition on it refuses `apply` and lets `plan`
 * (`cdktf diff` on a pull request) show the change.
 */
function applyingLocal(scope: Construct): TerraformLocal {
  const stack = TerraformStack.of(scope);
  return (stack.node.tryFindChild("terraform_applying") as TerraformLocal | undefined) ?? new TerraformLocal(stack, "terraform_applying", "${terraform.applying}");
}

/** Refuses to apply an image whose digest is the all-zero placeholder; plans still work. */
export function placeholderImagePrecondition(scope: Construct, image: string, setting: string): { condition: string; errorMessage: string } {
  return {
    condition: `\${!local.${applyingLocal(scope).friendlyUniqueId} || !endswith(${JSON.stringify(image)}, ${JSON.stringify(`@${PLACEHOLDER_DIGEST}`)})}`,
    errorMessage: `${setting} is the all-zero placeholder, not a built image: deploy with HEXPROPERTY_IMAGE_DIGESTS=<the digests file the image build writes> (docs/gcp.md, Deploy).`,
  };
}

/** Where the runtime sends OTLP when the collector sidecar runs (telemetry.otlpEndpoint). */
export const COLLECTOR_OTLP_ENDPOINT = "http://localhost:4318";

/**
 * The collector's configuration (YAML is a superset of JSON): OTLP/HTTP on
 * localhost, resource detection on GCP, traces to Cloud Trace (googlecloud),
 * metrics to Cloud Monitoring (googlemanagedprometheus); read by the collector
 * from its environment (`--config=env:OTELCOL_CONFIG`).
 */
export const COLLECTOR_CONFIG = {
  receivers: { otlp: { protocols: { http: { endpoint: "localhost:4318" } } } },
  processors: {
    memory_limiter: { check_interval: "1s", limit_percentage: 65, spike_limit_percentage: 20 },
    resourcedetection: { detectors: ["env", "gcp"], timeout: "10s" },
    batch: {},
  },
  exporters: { googlecloud: {}, googlemanagedprometheus: {} },
  service: {
    pipelines: {
      traces: { receivers: ["otlp"], processors: ["memory_limiter", "resourcedetection", "batch"], exporters: ["googlecloud"] },
      metrics: { receivers: ["otlp"], processors: ["memory_limiter", "resourcedetection", "batch"], exporters: ["googlemanagedprometheus"] },
    },
  },
} as const;

function collectorSidecar(image: string) {
  return {
    name: "otel-collector",
    image,
    args: ["--config=env:OTELCOL_CONFIG"],
    env: [{ name: "OTELCOL_CONFIG", value: JSON.stringify(COLLECTOR_CONFIG) }],
    resources: { limits: { cpu: "1", memory: "256Mi" } },
  };
}

/** Cloud Run's CPU/memory rules (cloud.google.com/run/docs/configuring/services/cpu and /memory-limits). */
const MAX_MEMORY_MIB: Record<ServiceScaling["cpu"], number> = { 0.5: 1024, 1: 4096, 2: 8192, 4: 16384 };

/**
 * One Cloud Run v2 service: its own service account, image by digest,
 * scaling and size from props, startup and liveness probes on the health
 * route, the runtime manifest as HEXPROPERTY_MANIFEST (secrets inside it are
 * Secret Manager references only), Direct VPC egress. Invocation needs IAM
 * (`roles/run.invoker`), granted only by `grantInvoke`.
 */
export class CloudRunWorkload extends Construct {
  readonly service: GoogleCloudRunV2Service;
  private readonly provider: TerraformProvider;
  private readonly grants = new GrantLedger();

  constructor(scope: Construct, id: string, props: CloudRunWorkloadProps) {
    super(scope, id);
    const { scaling } = props;
    const fractional = scaling.cpu < 1;
    if (fractional && props.alwaysOnCpu) throw unsupportedCloudRunSize(props.workload, "cpu", scaling.cpu, "a workload whose CPU stays allocated between requests needs at least 1 vCPU");
    if (scaling.memoryMiB > MAX_MEMORY_MIB[scaling.cpu]) throw unsupportedCloudRunSize(props.workload, "memoryMiB", scaling.memoryMiB, `${scaling.cpu} vCPU allows at most ${MAX_MEMORY_MIB[scaling.cpu]} MiB`);
    if (fractional && props.collectorImage) throw unsupportedCloudRunSize(props.workload, "cpu", scaling.cpu, "a workload with the telemetry collector sidecar needs at least 1 vCPU (below 1 vCPU Cloud Run runs one container, first generation)");
    if (scaling.cpu === 4 && scaling.memoryMiB < 2048) throw unsupportedCloudRunSize(props.workload, "memoryMiB", scaling.memoryMiB, "4 vCPU needs at least 2048 MiB");
    const port = props.port ?? 8080;
    const health = props.healthPath ?? "/healthz";
    this.provider = props.betaProvider;
    const meshGrant = props.mesh?.grantClient(props.workload, `serviceAccount:${props.serviceAccountEmail}`);
    this.service = new GoogleCloudRunV2Service(this, "service", {
      provider: props.betaProvider,
      project: props.projectId,
      location: props.region,
      name: props.name,
      description: `HexProperty ${props.workload}`,
      ingress: props.ingress,
      deletionProtection: props.deletionProtection ?? false,
      invokerIamDisabled: false,
      labels: props.labels ? { ...props.labels } : undefined,
      // template.service_mesh is a Beta field of the Cloud Run Admin API: the service must say it uses Beta features.
      ...(props.mesh ? { launchStage: "BETA" } : {}),
      template: {
        serviceAccount: props.serviceAccountEmail,
        ...(props.mesh ? { serviceMesh: { mesh: props.mesh.meshId } } : {}),
        scaling: { minInstanceCount: scaling.minInstances, maxInstanceCount: scaling.maxInstances },
        // Below 1 vCPU Cloud Run requires concurrency 1, request-based billing and the first-generation environment.
        maxInstanceRequestConcurrency: fractional ? 1 : (props.concurrency ?? 80),
        executionEnvironment: fractional ? "EXECUTION_ENVIRONMENT_GEN1" : "EXECUTION_ENVIRONMENT_GEN2",
        timeout: "60s",
        ...(props.network ? { vpcAccess: { networkInterfaces: [{ network: props.network.networkId, subnetwork: props.network.subnetworkId }], egress: "ALL_TRAFFIC" } } : {}),
        containers: [{
          name: props.workload,
          image: props.image,
          ports: { containerPort: port },
          resources: {
            limits: { cpu: fractional ? `${scaling.cpu * 1000}m` : String(scaling.cpu), memory: `${scaling.memoryMiB}Mi` },
            cpuIdle: !props.alwaysOnCpu,
            startupCpuBoost: true,
          },
          env: [
            ...secretEnvironment(props.workload, props.manifest, props.secrets ?? new Map(), props.backends),
            // JSON with Terraform interpolations for the values only known at apply (hosts, versions, the project number);
            // each interpolated value is a plain name or address, so the document stays valid JSON.
            { name: "HEXPROPERTY_MANIFEST", value: JSON.stringify(props.manifest) },
            // The services bind 127.0.0.1 unless told otherwise; Cloud Run sends requests to the container's interface.
            { name: "HOST", value: "0.0.0.0" },
          ],
          startupProbe: { httpGet: { path: health, port }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 24 },
          livenessProbe: { httpGet: { path: health, port }, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 3 },
        }, ...(props.collectorImage ? [collectorSidecar(props.collectorImage)] : [])],
      },
      dependsOn: props.dependsOn || meshGrant ? [...(props.dependsOn ?? []), ...(meshGrant ? [meshGrant] : [])] : undefined,
      lifecycle: { precondition: [placeholderImagePrecondition(this, props.image, props.imageSetting ?? "the image digest")] },
    });
  }

  /** Lets `member` (an IAM principal string) invoke the service: `roles/run.invoker` on it alone. */
  grantInvoke(key: string, member: string): void {
    this.grants.once(key, () => new GoogleCloudRunV2ServiceIamMember(this, `invoker-${key}`, {
      provider: this.provider,
      project: this.service.project,
      location: this.service.location,
      name: this.service.name,
      role: "roles/run.invoker",
      member,
    }));
  }
}
