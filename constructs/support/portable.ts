import { Construct } from "constructs";
import type { IConfigMap, IService } from "kubernetes-models/v1";
import type { IDeployment } from "kubernetes-models/apps/v1";
import { CHARTS } from "../core/charts";
import { PinnedRelease } from "../core/helm";
import { KubeResource } from "../core/kube";
import { CustomResource } from "../core/manifest";
import { ENVOY_METRICS_PORT, flowPolicy, quantities, RESTRICTED_CONTAINER } from "../core/kube-workload";
import type { SupportContract } from "./contract";
import { PortableLogs } from "./portable-logs";

/** The values this layer sets on kube-prometheus-stack (prometheus-community/helm-charts, charts/kube-prometheus-stack/values.yaml). */
export interface KubePrometheusStackValues {
  readonly prometheus: { readonly prometheusSpec: { readonly serviceMonitorSelectorNilUsesHelmValues: false; readonly podMonitorSelectorNilUsesHelmValues: false; readonly ruleSelectorNilUsesHelmValues: false } };
}

/** Pinned images of the telemetry pipeline (never latest). */
export const TELEMETRY_IMAGES = {
  collector: "otel/opentelemetry-collector-contrib:0.129.1",
  jaeger: "jaegertracing/jaeger:2.8.0",
} as const;

export interface AlertThresholds {
  /** Alert when a service's 5xx responses exceed this share of its requests, in percent. @default 5 */
  readonly errorRatioPercent?: number;
  /** Alert when a service's p99 latency exceeds this, in ms. @default 2000 */
  readonly p99LatencyMs?: number;
  /** Alert when a consumer group lags more messages than this. @default 1000 */
  readonly consumerLagMessages?: number;
}

export interface PortableSupportProps {
  /** Namespace of the monitoring stack. */
  readonly operatorsNamespace: string;
  /** The workloads' namespace: ServiceMonitors, rules, the collector and Jaeger go there. @default - no workload telemetry objects */
  readonly namespace?: string;
  /** Services alerted on 5xx ratio and p99 latency (from their sidecars' metrics). @default - none */
  readonly services?: readonly string[];
  /** Every workload that sends telemetry to the collector. @default - `services` */
  readonly workloads?: readonly string[];
  /** Consumer groups alerted on lag. @default - none */
  readonly consumerGroups?: readonly string[];
  /** Dead-letter topics alerted on growth. @default - none */
  readonly deadLetterTopics?: readonly string[];
  /** Strimzi cluster whose Kafka exporter is scraped. @default - none */
  readonly kafkaCluster?: string;
  readonly thresholds?: AlertThresholds;
  /** @default "info" */
  readonly logLevel?: SupportContract["telemetry"]["logLevel"];
  /** Fraction of requests traced. @default 0.1 */
  readonly traceSampleRatio?: number;
  /** Logs (ECK Elasticsearch + Kibana, Filebeat): size and Filebeat's namespace. @default - no log pipeline */
  readonly logs?: { readonly storageGi: number; readonly cpu: number; readonly memoryMiB: number; readonly collectorNamespace: string; readonly name: string; readonly storageClass?: string; readonly retentionDays?: number };
  /** Where the charts go. @default - this construct */
  readonly platform?: Construct;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

const COLLECTOR = "otel-collector";
const JAEGER = "jaeger";
const OTLP_HTTP = 4318;
const OTLP_GRPC = 4317;
const COLLECTOR_METRICS = 8889;

/**
 * kube-prometheus-stack (platform stack); in the workloads' namespace a
 * ServiceMonitor per workload (its Envoy metrics), a PodMonitor for the
 * Kafka exporter, PrometheusRules matching the gcp alerts (5xx ratio, p99
 * latency, consumer lag, dead-letter growth), an OpenTelemetry collector
 * (OTLP/HTTP in) exporting traces to Jaeger; the manifest's telemetry
 * section points the runtime at the collector.
 */
export class PortableSupport extends Construct implements SupportContract {
  readonly telemetry: SupportContract["telemetry"];

  constructor(scope: Construct, id: string, props: PortableSupportProps) {
    super(scope, id);
    const values: KubePrometheusStackValues = { prometheus: { prometheusSpec: { serviceMonitorSelectorNilUsesHelmValues: false, podMonitorSelectorNilUsesHelmValues: false, ruleSelectorNilUsesHelmValues: false } } };
    new PinnedRelease(props.platform ?? this, "monitoring", { pin: CHARTS.kubePrometheusStack, name: "monitoring", namespace: props.operatorsNamespace, values: values as unknown as Record<string, unknown> });
    const base = { logFormat: "json" as const, logLevel: props.logLevel ?? "info", traceSampleRatio: props.traceSampleRatio ?? 0.1, metricPrefix: "hexproperty" };
    const ns = props.namespace;
    if (!ns) {
      this.telemetry = { ...base, traceBackend: "none" };
      return;
    }
    this.telemetry = { ...base, traceBackend: "jaeger", otlpEndpoint: `http://${COLLECTOR}.${ns}.svc:${OTLP_HTTP}` };
    const labels = props.labels ? { ...props.labels } : undefined;
    if (props.logs) new PortableLogs(this, "logs", { ...props.logs, namespace: ns, operatorsNamespace: props.operatorsNamespace, platform: props.platform, labels: props.labels });
    const services = props.services ?? [];
    const workloads = props.workloads ?? services;

    for (const workload of workloads) {
      new CustomResource(this, `${workload}-metrics`, {
        apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", name: workload, namespace: ns, labels,
        spec: { selector: { matchLabels: { "app.kubernetes.io/name": workload } }, endpoints: [{ port: "http-envoy-prom", path: "/stats/prometheus", interval: "30s" }] },
      });
    }
    if (props.kafkaCluster) {
      new CustomResource(this, "kafka-exporter-metrics", {
        apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor", name: `${props.kafkaCluster}-exporter`, namespace: ns, labels,
        spec: { selector: { matchLabels: { "strimzi.io/name": `${props.kafkaCluster}-kafka-exporter` } }, podMetricsEndpoints: [{ port: "tcp-prometheus", path: "/metrics", interval: "30s" }] },
      });
    }
    const t = props.thresholds ?? {};
    const rules: Array<Record<string, unknown>> = [];
    for (const s of services) {
      const sel = `reporter="destination",destination_workload="${s}",destination_workload_namespace="${ns}"`;
      rules.push({ alert: `${s}-5xx-ratio`, expr: `sum(rate(istio_requests_total{${sel},response_code=~"5.."}[5m])) / sum(rate(istio_requests_total{${sel}}[5m])) > ${(t.errorRatioPercent ?? 5) / 100}`, for: "5m", labels: { severity: "page", service: s }, annotations: { summary: `${s}: more than ${t.errorRatioPercent ?? 5}% of requests answer 5xx` } });
      rules.push({ alert: `${s}-p99-latency`, expr: `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${sel}}[5m]))) > ${t.p99LatencyMs ?? 2000}`, for: "10m", labels: { severity: "page", service: s }, annotations: { summary: `${s}: p99 latency above ${t.p99LatencyMs ?? 2000} ms` } });
    }
    for (const g of props.consumerGroups ?? []) {
      rules.push({ alert: `${g}-consumer-lag`, expr: `sum(kafka_consumergroup_lag{consumergroup="${g}"}) > ${t.consumerLagMessages ?? 1000}`, for: "10m", labels: { severity: "page", consumergroup: g }, annotations: { summary: `${g} lags more than ${t.consumerLagMessages ?? 1000} messages` } });
    }
    for (const topic of props.deadLetterTopics ?? []) {
      rules.push({ alert: `${topic}-growth`, expr: `sum(increase(kafka_topic_partition_current_offset{topic="${topic}"}[15m])) > 0`, labels: { severity: "ticket", topic }, annotations: { summary: `messages were dead-lettered to ${topic}` } });
    }
    if (rules.length > 0) {
      new CustomResource(this, "alerts", { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", name: "hexproperty-alerts", namespace: ns, labels, spec: { groups: [{ name: "hexproperty", rules }] } });
    }

    // The collector: OTLP/HTTP from the runtime; traces to Jaeger, metrics for Prometheus.
    const collectorConfig = {
      receivers: { otlp: { protocols: { http: { endpoint: `0.0.0.0:${OTLP_HTTP}` } } } },
      processors: { batch: {}, memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 } },
      exporters: { "otlp/jaeger": { endpoint: `${JAEGER}.${ns}.svc:${OTLP_GRPC}`, tls: { insecure: true } }, prometheus: { endpoint: `0.0.0.0:${COLLECTOR_METRICS}` } },
      service: { pipelines: { traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["otlp/jaeger"] }, metrics: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["prometheus"] } } },
    };
    new KubeResource<IConfigMap>(this, "collector-config", { object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: COLLECTOR, namespace: ns, labels }, data: { "config.yaml": JSON.stringify(collectorConfig, null, 2) } } });
    this.deployment(ns, COLLECTOR, TELEMETRY_IMAGES.collector, ["--config=/conf/config.yaml"], [OTLP_HTTP, COLLECTOR_METRICS], labels, { name: "conf", configMap: { name: COLLECTOR } });
    // Jaeger v2 all-in-one, in-memory storage: traces of the last hours for debugging, not an archive.
    this.deployment(ns, JAEGER, TELEMETRY_IMAGES.jaeger, [], [OTLP_GRPC, 16686], labels);

    const common = { namespace: ns, labels };
    flowPolicy(this, "to-collector", { ...common, name: "telemetry-to-collector", subject: { workloads: [...workloads] }, direction: "Egress", peers: [{ pods: { "app.kubernetes.io/name": COLLECTOR } }], ports: [OTLP_HTTP], reason: "telemetry: every workload sends traces and metrics to the collector" });
    flowPolicy(this, "collector-in", { ...common, name: "telemetry-collector-in", subject: { pods: { "app.kubernetes.io/name": COLLECTOR } }, direction: "Ingress", peers: [{ workloads: [...workloads] }], ports: [OTLP_HTTP], reason: "telemetry: every workload sends traces and metrics to the collector" });
    flowPolicy(this, "collector-scrape", { ...common, name: "telemetry-collector-scrape", subject: { pods: { "app.kubernetes.io/name": COLLECTOR } }, direction: "Ingress", peers: [{ namespace: props.operatorsNamespace }], ports: [COLLECTOR_METRICS, ENVOY_METRICS_PORT], reason: "telemetry: Prometheus scrapes the collector" });
    flowPolicy(this, "collector-to-jaeger", { ...common, name: "telemetry-collector-to-jaeger", subject: { pods: { "app.kubernetes.io/name": COLLECTOR } }, direction: "Egress", peers: [{ pods: { "app.kubernetes.io/name": JAEGER } }], ports: [OTLP_GRPC], reason: "telemetry: the collector exports traces to Jaeger" });
    flowPolicy(this, "jaeger-in", { ...common, name: "telemetry-jaeger-in", subject: { pods: { "app.kubernetes.io/name": JAEGER } }, direction: "Ingress", peers: [{ pods: { "app.kubernetes.io/name": COLLECTOR } }], ports: [OTLP_GRPC], reason: "telemetry: the collector exports traces to Jaeger" });
  }

  private deployment(ns: string, name: string, image: string, args: string[], ports: number[], labels: Record<string, string> | undefined, volume?: { name: string; configMap: { name: string } }): void {
    const selector = { "app.kubernetes.io/name": name };
    const meta = { name, namespace: ns, labels: { ...labels, ...selector, "app.kubernetes.io/component": "telemetry" } };
    const size = quantities(0.25, 512);
    new KubeResource<IDeployment>(this, `${name}-deployment`, {
      object: {
        apiVersion: "apps/v1", kind: "Deployment", metadata: meta,
        spec: {
          replicas: 1,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: meta.labels },
            spec: {
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
              containers: [{
                name, image,
                // An empty list is dropped by the API server (and kubernetes_manifest would see the difference).
                ...(args.length > 0 ? { args } : {}),
                ports: ports.map((p) => ({ containerPort: p, protocol: "TCP" })),
                resources: { requests: size, limits: size },
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [...(volume ? [{ name: volume.name, mountPath: "/conf", readOnly: true }] : []), { name: "tmp", mountPath: "/tmp" }],
              }],
              volumes: [...(volume ? [volume] : []), { name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
            },
          },
        },
      },
    });
    new KubeResource<IService>(this, `${name}-service`, {
      object: { apiVersion: "v1", kind: "Service", metadata: meta, spec: { type: "ClusterIP", selector, ports: ports.map((p) => ({ name: p === OTLP_GRPC ? "grpc-otlp" : `http-${p}`, port: p, targetPort: p, protocol: "TCP" })) } },
    });
  }
}
