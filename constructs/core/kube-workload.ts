import { Construct } from "constructs";
import { DataKubernetesSecretV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1";
import type { IConfigMap, IService, IContainer, IPodSecurityContext, ISecurityContext, IEnvVar, IPodSpec, IServiceAccount } from "kubernetes-models/v1";
import type { IJob } from "kubernetes-models/batch/v1";
import type { IRole, IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import type { IDeployment } from "kubernetes-models/apps/v1";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1";
import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import type { ServiceScaling } from "../../environments";
import type { Backend } from "../domain/catalog";
import { usedSections } from "../microservices/contract";
import { KubeResource } from "./kube";
import type { WorkloadRole } from "./accounts";
import { missingWorkloadSetting } from "../errors";

/** Where the runtime manifest is mounted; the runtime reads HEXPROPERTY_MANIFEST_FILE. */
export const MANIFEST_DIR = "/etc/hexproperty";
export const MANIFEST_FILE = `${MANIFEST_DIR}/manifest.json`;
/** The "node" user of the services' images (services/Dockerfile), by number so the kubelet can check runAsNonRoot. */
export const SERVICE_UID = 1000;
/** Envoy's Prometheus endpoint in every injected pod (excluded from inbound interception, so it can be scraped without mTLS). */
export const ENVOY_METRICS_PORT = 15090;

/** Pod Security `restricted`, on the pod. */
export const RESTRICTED_POD: IPodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: SERVICE_UID,
  runAsGroup: SERVICE_UID,
  fsGroup: SERVICE_UID,
  seccompProfile: { type: "RuntimeDefault" },
};

/** Pod Security `restricted`, on each container, plus a read-only root filesystem. */
export const RESTRICTED_CONTAINER: ISecurityContext = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/**
 * CPU and memory as Kubernetes quantities in the API server's canonical form
 * ("1" not "1000m", "1Gi" not "1024Mi"): the server stores built-in objects'
 * quantities canonicalized, and kubernetes_manifest fails an apply whose
 * result differs from the configuration ("inconsistent result after apply").
 */
export function quantities(cpu: number, memoryMiB: number): { cpu: string; memory: string } {
  const millis = Math.round(cpu * 1000);
  const memory = memoryMiB % (1024 * 1024) === 0 ? `${memoryMiB / (1024 * 1024)}Ti` : memoryMiB % 1024 === 0 ? `${memoryMiB / 1024}Gi` : `${memoryMiB}Mi`;
  return { cpu: millis % 1000 === 0 ? `${millis / 1000}` : `${millis}m`, memory };
}

/**
 * The environment variables a manifest's secret references need, except
 * those of the backends the workload does not use (`backends`; @default -
 * every backend): each `kubernetes-secret` reference as
 * `valueFrom.secretKeyRef`, and the `env` references the caller supplies
 * (e.g. the Kafka user of this workload). Values never pass through Terraform.
 */
export function secretEnvironment(manifest: RuntimeManifest, supplied: Readonly<Record<string, IEnvVar>> = {}, backends?: readonly Backend[]): IEnvVar[] {
  const vars = new Map<string, IEnvVar>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.kind === "kubernetes-secret" && typeof o.env === "string") vars.set(o.env, { name: o.env, valueFrom: { secretKeyRef: { name: String(o.name), key: String(o.key) } } });
      else if (o.kind === "env" && typeof o.env === "string" && supplied[o.env]) vars.set(o.env, supplied[o.env]!);
      else Object.values(o).forEach(visit);
    }
  };
  for (const [, section] of usedSections(manifest, backends)) visit(section);
  return [...vars.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export interface KubernetesWorkloadProps {
  readonly namespace: string;
  /** Workload name: Deployment, Service, ServiceAccount and `app.kubernetes.io/name`. */
  readonly workload: string;
  readonly role: WorkloadRole;
  /** Image by tag other than latest, or by digest. */
  readonly image: string;
  /** Replicas (HPA bounds) and size (requests = limits). */
  readonly scaling: ServiceScaling;
  /** Mounted from a ConfigMap as HEXPROPERTY_MANIFEST_FILE. */
  readonly manifest: RuntimeManifest;
  /** Values for the manifest's `env` secret references (e.g. KAFKA_USERNAME). @default - none */
  readonly env?: Readonly<Record<string, IEnvVar>>;
  /**
   * The backends the workload uses (the domain catalog's grants): only the
   * secret references of their manifest sections reach the container; the
   * runtime never opens the others (connect option `ports`). @default - every backend
   */
  readonly backends?: readonly Backend[];
  /** @default 8080 */
  readonly port?: number;
  /** @default "/healthz" */
  readonly livenessPath?: string;
  /** @default "/readyz" */
  readonly readinessPath?: string;
  /** Average CPU utilisation the HPA keeps, in percent. @default 70 */
  readonly targetCpuPercent?: number;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * One hardened workload: ConfigMap with its runtime manifest, Deployment
 * (Pod Security `restricted`, read-only root, requests and limits, startup,
 * readiness and liveness probes, secrets only as secretKeyRef), a ClusterIP
 * Service, an HPA on CPU and a PodDisruptionBudget. The ServiceAccount is
 * the layer's (kubernetesServiceAccounts).
 */
export class KubernetesWorkload extends Construct {
  readonly deployment: KubeResource<IDeployment>;
  readonly service: KubeResource<IService>;
  readonly selector: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: KubernetesWorkloadProps) {
    super(scope, id);
    const { namespace, workload, scaling } = props;
    const port = props.port ?? 8080;
    this.selector = { "app.kubernetes.io/name": workload };
    const labels = { ...props.labels, ...this.selector, "app.kubernetes.io/component": props.role, "app.kubernetes.io/part-of": "hexproperty" };
    const meta = (name: string) => ({ name, namespace, labels });
    const configMap = `${workload}-manifest`;

    new KubeResource<IConfigMap>(this, "manifest", {
      object: { apiVersion: "v1", kind: "ConfigMap", metadata: meta(configMap), data: { "manifest.json": JSON.stringify(props.manifest, null, 2) } },
    });

    const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({ httpGet: { path, port, scheme: "HTTP" as const }, periodSeconds, timeoutSeconds: 3, failureThreshold });
    const container: IContainer = {
      name: workload,
      image: props.image,
      imagePullPolicy: "IfNotPresent",
      ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
      env: [
        { name: "HEXPROPERTY_MANIFEST_FILE", value: MANIFEST_FILE },
        { name: "HOST", value: "0.0.0.0" },
        { name: "PORT", value: String(port) },
        ...secretEnvironment(props.manifest, props.env, props.backends),
      ],
      resources: { requests: quantities(scaling.cpu, scaling.memoryMiB), limits: quantities(scaling.cpu, scaling.memoryMiB) },
      securityContext: RESTRICTED_CONTAINER,
      startupProbe: probe(props.livenessPath ?? "/healthz", 5, 24),
      livenessProbe: probe(props.livenessPath ?? "/healthz", 15, 3),
      readinessProbe: probe(props.readinessPath ?? "/readyz", 10, 3),
      volumeMounts: [{ name: "manifest", mountPath: MANIFEST_DIR, readOnly: true }, { name: "tmp", mountPath: "/tmp" }],
    };
    const pod: IPodSpec = {
      serviceAccountName: workload,
      automountServiceAccountToken: false,
      securityContext: RESTRICTED_POD,
      containers: [container],
      volumes: [{ name: "manifest", configMap: { name: configMap } }, { name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
    };

    // No `replicas`: the HPA owns it (a value here would fight it on every apply).
    this.deployment = new KubeResource<IDeployment>(this, "deployment", {
      object: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: meta(workload),
        spec: {
          selector: { matchLabels: { ...this.selector } },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: {
            metadata: { labels, annotations: { "kubectl.kubernetes.io/default-container": workload } },
            spec: pod,
          },
        },
      },
    });

    this.service = new KubeResource<IService>(this, "service", {
      object: {
        apiVersion: "v1",
        kind: "Service",
        // Kong sends to the Service address, so the gateway's sidecar applies this Service's mesh policy.
        metadata: { ...meta(workload), annotations: { "ingress.kubernetes.io/service-upstream": "true" } },
        spec: {
          type: "ClusterIP",
          selector: { ...this.selector },
          ports: [
            { name: "http", port, targetPort: port, protocol: "TCP", appProtocol: "http" },
            { name: "http-envoy-prom", port: ENVOY_METRICS_PORT, targetPort: ENVOY_METRICS_PORT, protocol: "TCP" },
          ],
        },
      },
    });

    new KubeResource<IHorizontalPodAutoscaler>(this, "hpa", {
      object: {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: meta(workload),
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: workload },
          // As configured: validation refuses minInstances 0 on the portable stack (scale to zero needs the HPAScaleToZero feature gate).
          minReplicas: scaling.minInstances,
          maxReplicas: scaling.maxInstances,
          metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: props.targetCpuPercent ?? 70 } } }],
        },
      },
    });

    new KubeResource<IPodDisruptionBudget>(this, "pdb", {
      object: {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: meta(workload),
        spec: { maxUnavailable: 1, selector: { matchLabels: { ...this.selector } } },
      },
    });
  }
}

/** What a portable workload layer (microservices, application) holds for each of its workloads. */
export interface PortableWorkloadSettings {
  readonly namespace: string;
  /** Image per workload (tag other than latest, or digest). */
  readonly images: Readonly<Record<string, string>>;
  /** Replicas and size per workload. */
  readonly scaling: Readonly<Record<string, ServiceScaling>>;
  /** Namespace of Prometheus, which scrapes each pod's Envoy metrics. */
  readonly monitoringNamespace: string;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * One workload of a portable layer's `run`: its image, scaling and manifest
 * (each required; a missing one is named), the hardened KubernetesWorkload
 * (id: the workload; its Kafka user's credentials; the secret references of
 * `backends` only), then `allow` (extra ingress rules of the caller), then
 * Prometheus allowed in to its Envoy metrics.
 */
export function runPortableWorkload(scope: Construct, workload: string, role: WorkloadRole, p: PortableWorkloadSettings, manifests: Readonly<Record<string, RuntimeManifest>>, options: { readonly backends?: readonly Backend[]; readonly port?: number; readonly allow?: (podSelector: Record<string, string>) => void } = {}): KubernetesWorkload {
  const image = p.images[workload];
  const scaling = p.scaling[workload];
  const manifest = manifests[workload];
  if (!image || !scaling || !manifest) throw missingWorkloadSetting(workload, !image ? "image" : !scaling ? "scaling" : "manifest");
  const created = new KubernetesWorkload(scope, workload, { namespace: p.namespace, workload, role, image, scaling, manifest, env: kafkaUserEnvironment(workload), backends: options.backends, ...(options.port !== undefined ? { port: options.port } : {}), labels: p.labels });
  const podSelector = { "app.kubernetes.io/name": workload };
  options.allow?.(podSelector);
  allowIngressFromNamespace(scope, `${workload}-from-monitoring`, { namespace: p.namespace, name: `${workload}-from-monitoring`, podSelector, fromNamespace: p.monitoringNamespace, ports: [ENVOY_METRICS_PORT], reason: `telemetry: Prometheus scrapes ${workload}'s Envoy metrics`, labels: p.labels });
  return created;
}

/**
 * The values of the manifest's Kafka `env` references for one workload: its
 * KafkaUser is named after its ServiceAccount (constructs/events/portable.ts)
 * and Strimzi's User Operator writes the password to a Secret of that name.
 */
export function kafkaUserEnvironment(workload: string): Record<string, IEnvVar> {
  return {
    KAFKA_USERNAME: { name: "KAFKA_USERNAME", value: workload },
    KAFKA_PASSWORD: { name: "KAFKA_PASSWORD", valueFrom: { secretKeyRef: { name: workload, key: "password" } } },
  };
}

export interface IngressAllowProps {
  readonly namespace: string;
  /** Policy name. */
  readonly name: string;
  /** Pods the rule admits traffic to. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** Namespace the traffic comes from (every pod in it). */
  readonly fromNamespace: string;
  readonly ports: readonly number[];
  /** Why the flow exists: the catalog entry or platform need it follows from (annotation hexproperty.io/allows). */
  readonly reason: string;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/** An ingress allow rule from one namespace to some pods on some ports, saying why (annotation `hexproperty.io/allows`). */
export function allowIngressFromNamespace(scope: Construct, id: string, props: IngressAllowProps): KubeResource {
  return flowPolicy(scope, id, {
    namespace: props.namespace,
    name: props.name,
    subject: { pods: props.podSelector },
    direction: "Ingress",
    peers: [{ namespace: props.fromNamespace }],
    ports: props.ports,
    reason: props.reason,
    labels: props.labels,
  });
}

/** Every allow NetworkPolicy says which catalog entry (or platform need) it follows from. */
export const ALLOWS_ANNOTATION = "hexproperty.io/allows";

export interface PeerSelector {
  /** Pods with these labels (in the policy's namespace unless `namespace`). @default - every pod of the namespace */
  readonly pods?: Readonly<Record<string, string>>;
  /** Pods whose `app.kubernetes.io/name` is one of these (the granted workloads); rendered at synthesis. */
  readonly workloads?: readonly string[] | string[];
  /** Another namespace. @default - the policy's namespace */
  readonly namespace?: string;
  /** An address block instead of pods. */
  readonly cidr?: string;
}

export interface FlowPolicyProps {
  readonly namespace: string;
  readonly name: string;
  /** Pods the policy is about. */
  readonly subject: PeerSelector;
  /** Ingress: who may connect to the subject; egress: where the subject may connect. */
  readonly direction: "Ingress" | "Egress";
  readonly peers: readonly PeerSelector[];
  /** TCP ports (UDP+TCP where `dns`). @default - every port */
  readonly ports?: readonly number[];
  /** Port 53 over UDP and TCP. @default false */
  readonly dns?: boolean;
  /** Annotation hexproperty.io/allows: the catalog entry or platform need the flow follows from. */
  readonly reason: string;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

function selector(peer: PeerSelector): Record<string, unknown> {
  if (peer.workloads) return { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: peer.workloads }] };
  // An empty matchLabels is dropped by the API server; `{}` is what it stores for "every pod".
  return peer.pods && Object.keys(peer.pods).length > 0 ? { matchLabels: { ...peer.pods } } : {};
}

function peerOf(peer: PeerSelector): Record<string, unknown> {
  if (peer.cidr) return { ipBlock: { cidr: peer.cidr } };
  const out: Record<string, unknown> = {};
  if (peer.namespace) out.namespaceSelector = { matchLabels: { "kubernetes.io/metadata.name": peer.namespace } };
  if (peer.pods || peer.workloads || !peer.namespace) out.podSelector = selector(peer);
  return out;
}

/** One allowed flow as a NetworkPolicy, annotated with why it exists. */
export function flowPolicy(scope: Construct, id: string, props: FlowPolicyProps): KubeResource {
  const ports = props.dns
    ? [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }]
    : props.ports?.map((port) => ({ port, protocol: "TCP" }));
  const rule = { [props.direction === "Ingress" ? "from" : "to"]: props.peers.map(peerOf), ...(ports ? { ports } : {}) };
  return new KubeResource(scope, id, {
    object: {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined, annotations: { [ALLOWS_ANNOTATION]: props.reason } },
      spec: {
        podSelector: selector(props.subject),
        policyTypes: [props.direction],
        [props.direction === "Ingress" ? "ingress" : "egress"]: [rule],
      },
    } as KubeResource["object"],
  });
}

export interface InputSecretProps {
  readonly namespace: string;
  readonly name: string;
  /** A key the Secret must have. */
  readonly key: string;
  /** What it holds (for the message). */
  readonly what: string;
}

/** A Secret the stack references but does not create (no value in Terraform state): plan stops, saying how to create it, when it is missing. */
export function inputSecret(scope: Construct, id: string, props: InputSecretProps): DataKubernetesSecretV1 {
  return new DataKubernetesSecretV1(scope, id, {
    metadata: { name: props.name, namespace: props.namespace },
    lifecycle: {
      postcondition: [{
        condition: `\${can(self.data["${props.key}"])}`,
        errorMessage: `Secret ${props.namespace}/${props.name} with key "${props.key}" (${props.what}) is missing: create it before deploying this stack; see docs/portable.md "Secrets: who creates each".`,
      }],
    },
  });
}

/** The image of the Secret generator Job: curl and a BusyBox shell, uid 100 (pinned; never latest). */
export const SECRET_GENERATOR_IMAGE = "curlimages/curl:8.15.0";
/** The curl image's own user and group (curl_user, curl_group). */
const CURL_UID = 100;
const CURL_GID = 101;

/**
 * Creates each Secret named in $SECRETS ("<name>/<key> ...") with a random
 * 48-hex-digit value, by one POST to the API server; 409 (it exists) is
 * success, so existing Secrets are never changed or read. The script holds
 * no dollar-brace or percent-brace: Terraform would read them as its own
 * template syntax.
 */
const GENERATE_SECRETS = [
  "set -eu",
  "sa=/var/run/secrets/kubernetes.io/serviceaccount",
  "ns=$(cat $sa/namespace)",
  "for item in $SECRETS; do",
  "  name=$(echo \"$item\" | cut -d/ -f1); key=$(echo \"$item\" | cut -d/ -f2)",
  "  value=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \\n' | base64 | tr -d '\\n')",
  "  body='{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"'$name'\",\"labels\":{\"app.kubernetes.io/managed-by\":\"'$GENERATOR'\"}},\"type\":\"Opaque\",\"data\":{\"'$key'\":\"'$value'\"}}'",
  "  code=$(curl -sS -o /tmp/response -w '%''{http_code}' --cacert $sa/ca.crt -H \"Authorization: Bearer $(cat $sa/token)\" -H 'Content-Type: application/json' -X POST --data \"$body\" \"https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/$ns/secrets\")",
  "  case $code in 201) echo \"created $name\";; 409) echo \"kept $name (exists)\";; *) echo \"creating $name: HTTP $code\"; cat /tmp/response; exit 1;; esac",
  "done",
].join("\n");

export interface GeneratedSecretsProps {
  readonly namespace: string;
  /** Name of the Job, its ServiceAccount, Role and RoleBinding. */
  readonly name: string;
  /** Secrets to create when absent, each with one random value under `key`. */
  readonly secrets: readonly { readonly name: string; readonly key: string }[];
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Passwords generated in the cluster, never in Terraform (so never in its
 * state): a Job (pinned image, Pod Security `restricted`, outside the mesh)
 * whose ServiceAccount may only `create` Secrets in its namespace — it can
 * neither read nor change one — POSTs each Secret with a random value and
 * treats "already exists" as done. Apply waits until the Job is Complete,
 * so what depends on `job` starts with its Secrets present. Re-running it
 * (after deleting a Secret to rotate it) creates only what is missing.
 */
export class GeneratedSecrets extends Construct {
  readonly job: KubeResource<IJob>;

  constructor(scope: Construct, id: string, props: GeneratedSecretsProps) {
    super(scope, id);
    const { namespace, name } = props;
    const labels = { ...props.labels, "app.kubernetes.io/name": name, "app.kubernetes.io/component": "secret-generator", "app.kubernetes.io/part-of": "hexproperty" };
    const meta = { name, namespace, labels };
    const account = new KubeResource<IServiceAccount>(this, "account", { object: { apiVersion: "v1", kind: "ServiceAccount", metadata: meta, automountServiceAccountToken: false } });
    // `create` only: RBAC cannot narrow create by name, but without get/list/update the Job can neither read nor overwrite any Secret.
    const role = new KubeResource<IRole>(this, "role", { object: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["create"] }] } });
    const binding = new KubeResource<IRoleBinding>(this, "binding", {
      object: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: meta, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name }, subjects: [{ kind: "ServiceAccount", name, namespace }] },
    });
    const size = quantities(0.1, 64);
    this.job = new KubeResource<IJob>(this, "job", {
      object: {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: meta,
        spec: {
          backoffLimit: 6,
          template: {
            // No template labels: the Job controller adds its own (batch.kubernetes.io/job-name), and configured ones would differ from what the server stores.
            metadata: { annotations: { "sidecar.istio.io/inject": "false" } },
            spec: {
              serviceAccountName: name,
              // The one pod that talks to the API server: its token is mounted here only (the ServiceAccount does not automount).
              automountServiceAccountToken: true,
              restartPolicy: "OnFailure",
              securityContext: { runAsNonRoot: true, runAsUser: CURL_UID, runAsGroup: CURL_GID, seccompProfile: { type: "RuntimeDefault" } },
              containers: [{
                name: "generate",
                image: SECRET_GENERATOR_IMAGE,
                command: ["/bin/sh", "-c", GENERATE_SECRETS],
                env: [{ name: "SECRETS", value: props.secrets.map((s) => `${s.name}/${s.key}`).join(" ") }, { name: "GENERATOR", value: name }],
                resources: { requests: size, limits: size },
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              }],
              volumes: [{ name: "tmp", emptyDir: { sizeLimit: "1Mi" } }],
            },
          },
        },
      },
      dependsOn: [account.resource, role.resource, binding.resource],
      waitForCondition: { type: "Complete", status: "True" },
    });
    flowPolicy(this, "api", {
      namespace, name: `${name}-api`, labels: props.labels, subject: { pods: { "batch.kubernetes.io/job-name": name } }, direction: "Egress",
      peers: [{ cidr: "0.0.0.0/0" }], ports: [443, 6443], reason: "platform: the Secret generator creates its Secrets through the Kubernetes API",
    });
  }
}
