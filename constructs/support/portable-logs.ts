import { Construct } from "constructs";
import type { IConfigMap, INamespace } from "kubernetes-models/v1";
import { CHARTS } from "../core/charts";
import { PinnedRelease } from "../core/helm";
import { KubeResource } from "../core/kube";
import { CustomResource } from "../core/manifest";
import { flowPolicy, quantities, RESTRICTED_CONTAINER } from "../core/kube-workload";
import { addSuppressions } from "../policy/suppressions";

/** Elastic Stack version ECK 2.16 runs (elastic.co/guide/en/cloud-on-k8s/2.16/k8s-supported.html). */
export const ELASTIC_STACK_VERSION = "8.17.0";

/** The values this layer sets on the eck-operator chart (elastic/cloud-on-k8s, deploy/eck-operator/values.yaml). */
export interface EckOperatorValues {
  readonly managedNamespaces: readonly string[];
  readonly resources: { readonly requests: { cpu: string; memory: string }; readonly limits: { cpu: string; memory: string } };
}

export interface PortableLogsProps {
  /** The workloads' namespace: Elasticsearch and Kibana run there. */
  readonly namespace: string;
  /** Namespace created for Filebeat (a DaemonSet reading node log files needs hostPath). */
  readonly collectorNamespace: string;
  /** Namespace of the ECK operator. */
  readonly operatorsNamespace: string;
  /** Elasticsearch name. */
  readonly name: string;
  readonly storageGi: number;
  readonly cpu: number;
  readonly memoryMiB: number;
  /** Days Elasticsearch keeps log indices (an ILM delete phase; Filebeat loads the policy). @default 30 */
  readonly retentionDays?: number;
  /** @default - the cluster's default storage class */
  readonly storageClass?: string;
  /** Where the operator chart and Filebeat's namespace go. @default - this construct */
  readonly platform?: Construct;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

const ES_HTTP = 9200;
/** Where Filebeat finds the lifecycle policy file. */
const ILM_DIR = "/usr/share/filebeat/ilm";

/** An Elasticsearch ILM policy: roll over daily (or at 50 GB a primary shard), delete `days` after rollover. */
export function logsLifecyclePolicy(days: number): Record<string, unknown> {
  return {
    policy: {
      phases: {
        hot: { actions: { rollover: { max_age: "1d", max_primary_shard_size: "50gb" } } },
        delete: { min_age: `${days}d`, actions: { delete: {} } },
      },
    },
  };
}
const ES_TRANSPORT = 9300;

/**
 * Logs on ECK: the operator (platform stack), one Elasticsearch and one
 * Kibana in the workloads' namespace (hardened pods, outside the mesh: ECK
 * secures their traffic with its own TLS), and Filebeat as an ECK Beat in a
 * namespace of its own, wired to Elasticsearch by `elasticsearchRef` (ECK
 * creates its user and password; no Secret is an input).
 */
export class PortableLogs extends Construct {
  constructor(scope: Construct, id: string, props: PortableLogsProps) {
    super(scope, id);
    const platform = props.platform ?? this;
    const labels = props.labels ? { ...props.labels } : undefined;
    const ns = props.namespace;
    const operator: EckOperatorValues = { managedNamespaces: [ns, props.collectorNamespace], resources: { requests: quantities(0.1, 256), limits: quantities(0.5, 512) } };
    new PinnedRelease(platform, "eck-operator", { pin: CHARTS.eckOperator, name: "eck-operator", namespace: props.operatorsNamespace, values: operator as unknown as Record<string, unknown> });

    // Filebeat reads /var/log/pods on every node: hostPath, which Pod Security restricted (and baseline) forbid, so its namespace is privileged.
    const collectorNs = new KubeResource<INamespace>(platform, "logs-namespace", {
      object: { apiVersion: "v1", kind: "Namespace", metadata: { name: props.collectorNamespace, labels: { ...labels, "pod-security.kubernetes.io/enforce": "privileged", "istio-injection": "disabled" } } },
    });
    addSuppressions(collectorNs, [{ rule: "k8s-namespace-pod-security", reason: "Only Filebeat runs here: a DaemonSet reading the nodes' log files through hostPath, which restricted and baseline forbid; ECK creates its pods, nothing else is deployed to it, and it may reach only Elasticsearch, DNS and the Kubernetes API." }]);
    new KubeResource(platform, "logs-default-deny", {
      object: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "default-deny", namespace: props.collectorNamespace, labels }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } } as KubeResource["object"],
      dependsOn: [collectorNs.resource],
    });

    const size = quantities(props.cpu, props.memoryMiB);
    const hardened = (container: string, resources: { cpu: string; memory: string }) => ({
      metadata: { annotations: { "sidecar.istio.io/inject": "false" } },
      spec: {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
        containers: [{ name: container, resources: { requests: resources, limits: resources }, securityContext: RESTRICTED_CONTAINER }],
      },
    });
    new CustomResource(this, "elasticsearch", {
      apiVersion: "elasticsearch.k8s.elastic.co/v1", kind: "Elasticsearch", name: props.name, namespace: ns, labels,
      spec: {
        version: ELASTIC_STACK_VERSION,
        nodeSets: [{
          name: "default",
          count: 1,
          // No mmap: no privileged init container raising vm.max_map_count.
          config: { "node.store.allow_mmap": false },
          podTemplate: hardened("elasticsearch", size),
          volumeClaimTemplates: [{ metadata: { name: "elasticsearch-data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${props.storageGi}Gi` } }, ...(props.storageClass ? { storageClassName: props.storageClass } : {}) } }],
        }],
      },
    });
    new CustomResource(this, "kibana", {
      apiVersion: "kibana.k8s.elastic.co/v1", kind: "Kibana", name: props.name, namespace: ns, labels,
      spec: { version: ELASTIC_STACK_VERSION, count: 1, elasticsearchRef: { name: props.name }, podTemplate: hardened("kibana", quantities(0.5, 1024)) },
    });
    // Retention: Filebeat loads this ILM policy over its default one (setup.ilm.overwrite): daily rollover, deletion `retentionDays` after it.
    const ilm = "filebeat-ilm";
    new KubeResource<IConfigMap>(this, "filebeat-ilm", {
      object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: ilm, namespace: props.collectorNamespace, labels }, data: { "policy.json": JSON.stringify(logsLifecyclePolicy(props.retentionDays ?? 30), null, 2) } },
    });
    new CustomResource(this, "filebeat", {
      apiVersion: "beat.k8s.elastic.co/v1beta1", kind: "Beat", name: "filebeat", namespace: props.collectorNamespace, labels,
      spec: {
        type: "filebeat",
        version: ELASTIC_STACK_VERSION,
        elasticsearchRef: { name: props.name, namespace: ns },
        config: {
          "filebeat.inputs": [{ type: "filestream", id: "containers", paths: ["/var/log/containers/*.log"], parsers: [{ container: {} }] }],
          "setup.ilm.enabled": true,
          "setup.ilm.policy_file": `${ILM_DIR}/policy.json`,
          "setup.ilm.overwrite": true,
        },
        daemonSet: {
          podTemplate: {
            spec: {
              automountServiceAccountToken: false,
              securityContext: { runAsUser: 0 },
              containers: [{
                name: "filebeat",
                resources: { requests: quantities(0.1, 200), limits: quantities(0.5, 500) },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, capabilities: { drop: ["ALL"], add: ["DAC_READ_SEARCH"] } },
                volumeMounts: [{ name: "varlogcontainers", mountPath: "/var/log/containers", readOnly: true }, { name: "varlogpods", mountPath: "/var/log/pods", readOnly: true }, { name: "ilm", mountPath: ILM_DIR, readOnly: true }],
              }],
              volumes: [{ name: "varlogcontainers", hostPath: { path: "/var/log/containers" } }, { name: "varlogpods", hostPath: { path: "/var/log/pods" } }, { name: "ilm", configMap: { name: ilm } }],
            },
          },
        },
      },
    });

    const es = { "elasticsearch.k8s.elastic.co/cluster-name": props.name };
    const kibana = { "kibana.k8s.elastic.co/name": props.name };
    const common = { namespace: ns, labels };
    flowPolicy(this, "es-in", { ...common, name: `${props.name}-es-in`, subject: { pods: es }, direction: "Ingress", peers: [{ namespace: props.collectorNamespace }, { pods: kibana }, { namespace: props.operatorsNamespace }], ports: [ES_HTTP], reason: "telemetry: Filebeat ships logs, Kibana reads them, the ECK operator manages the cluster" });
    flowPolicy(this, "es-internal-in", { ...common, name: `${props.name}-es-internal-in`, subject: { pods: es }, direction: "Ingress", peers: [{ pods: es }], ports: [ES_HTTP, ES_TRANSPORT], reason: "platform: Elasticsearch nodes talk among themselves" });
    flowPolicy(this, "es-internal-out", { ...common, name: `${props.name}-es-internal-out`, subject: { pods: es }, direction: "Egress", peers: [{ pods: es }], ports: [ES_HTTP, ES_TRANSPORT], reason: "platform: Elasticsearch nodes talk among themselves" });
    flowPolicy(this, "kibana-out", { ...common, name: `${props.name}-kibana-out`, subject: { pods: kibana }, direction: "Egress", peers: [{ pods: es }], ports: [ES_HTTP], reason: "telemetry: Kibana reads the logs" });
    const beatCommon = { namespace: props.collectorNamespace, labels };
    // Filebeat's namespace is in the platform stack, which this stack depends on.
    flowPolicy(this, "filebeat-out", { ...beatCommon, name: "filebeat-to-elasticsearch", subject: {}, direction: "Egress", peers: [{ namespace: ns, pods: es }], ports: [ES_HTTP], reason: "telemetry: Filebeat ships every pod's logs to Elasticsearch" });
    flowPolicy(this, "filebeat-dns", { ...beatCommon, name: "allow-dns", subject: {}, direction: "Egress", peers: [{ namespace: "kube-system", pods: { "k8s-app": "kube-dns" } }], dns: true, reason: "platform: name resolution (cluster DNS)" });
  }
}
