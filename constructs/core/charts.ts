/**
 * Every Helm chart the portable stack installs, pinned to an exact version,
 * from its upstream maintainer's own repository. No chart or image comes from
 * a catalog that has stopped publishing free updates. Review a bump like code.
 */
export interface ChartPin {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

export const CHARTS = {
  strimzi: { repository: "https://strimzi.io/charts/", chart: "strimzi-kafka-operator", version: "0.48.0" },
  cloudnativePg: { repository: "https://cloudnative-pg.github.io/charts", chart: "cloudnative-pg", version: "0.26.0" },
  clickhouseOperator: { repository: "https://docs.altinity.com/clickhouse-operator/", chart: "altinity-clickhouse-operator", version: "0.25.3" },
  // 0.11.0: the newest release of valkey-io/valkey-helm (tag valkey-0.11.0); there is no 1.0.0.
  valkey: { repository: "https://valkey.io/valkey-helm/", chart: "valkey", version: "0.11.0" },
  kubePrometheusStack: { repository: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack", version: "77.0.0" },
  eckOperator: { repository: "https://helm.elastic.co", chart: "eck-operator", version: "2.16.0" },
  kong: { repository: "https://charts.konghq.com", chart: "kong", version: "2.51.0" },
  istioBase: { repository: "https://istio-release.storage.googleapis.com/charts", chart: "base", version: "1.27.1" },
  istiod: { repository: "https://istio-release.storage.googleapis.com/charts", chart: "istiod", version: "1.27.1" },
  istioCni: { repository: "https://istio-release.storage.googleapis.com/charts", chart: "cni", version: "1.27.1" },
} as const satisfies Record<string, ChartPin>;

/** Kafka version the Strimzi pin above runs (KRaft only). */
export const KAFKA_VERSION = "4.1.0";
