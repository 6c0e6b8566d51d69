/**
 * The environment's Cloud Monitoring dashboard, built from typed code (the
 * `dashboardJson` of google_monitoring_dashboard is this object, stringified):
 * a mosaic of PromQL line charts, one row per service and one per concern.
 */

/** The parts of the Dashboard API's JSON (monitoring.googleapis.com/v1 projects.dashboards) this dashboard uses. */
export interface Dashboard {
  readonly displayName: string;
  readonly mosaicLayout: { readonly columns: number; readonly tiles: readonly Tile[] };
}

export interface Tile {
  readonly xPos: number;
  readonly yPos: number;
  readonly width: number;
  readonly height: number;
  readonly widget: { readonly title: string; readonly xyChart: XyChart };
}

export interface XyChart {
  readonly dataSets: ReadonlyArray<{ readonly timeSeriesQuery: { readonly prometheusQuery: string }; readonly plotType: "LINE" | "STACKED_AREA"; readonly legendTemplate?: string }>;
  readonly yAxis?: { readonly label: string; readonly scale: "LINEAR" | "LOG10" };
}

export interface DashboardInput {
  readonly title: string;
  /** Cloud Run service names. */
  readonly services: readonly string[];
  /** Pub/Sub subscription ids. */
  readonly subscriptions: readonly string[];
  /** Spanner instance id. @default - no Spanner chart */
  readonly spannerInstance?: string;
  /** Memorystore instance id (the instance's own name, as the metric's `instance_id` label ends with it). @default - no Redis chart */
  readonly redisInstance?: string;
}

const COLUMNS = 48;
const WIDTH = 16;
const HEIGHT = 12;

/** One chart of one PromQL query. */
function chart(title: string, query: string, unit: string): Tile["widget"] {
  return { title, xyChart: { dataSets: [{ timeSeriesQuery: { prometheusQuery: query }, plotType: "LINE" }], yAxis: { label: unit, scale: "LINEAR" } } };
}

export function serviceRequestsQuery(service: string): string {
  return `sum by (response_code_class) (rate(run_googleapis_com:request_count{monitored_resource="cloud_run_revision",service_name="${service}"}[5m]))`;
}

export function serviceErrorRatioQuery(service: string): string {
  const rate = (extra: string) => `sum(rate(run_googleapis_com:request_count{monitored_resource="cloud_run_revision",service_name="${service}"${extra}}[5m]))`;
  return `${rate(',response_code_class="5xx"')} / ${rate("")}`;
}

export function serviceP99Query(service: string): string {
  return `histogram_quantile(0.99, sum by (le) (rate(run_googleapis_com:request_latencies_bucket{monitored_resource="cloud_run_revision",service_name="${service}"}[5m])))`;
}

export function buildDashboard(input: DashboardInput): Dashboard {
  const widgets: Array<Tile["widget"]> = [];
  for (const service of input.services) {
    widgets.push(chart(`${service}: requests by class`, serviceRequestsQuery(service), "req/s"));
    widgets.push(chart(`${service}: 5xx ratio`, serviceErrorRatioQuery(service), "ratio"));
    widgets.push(chart(`${service}: p99 latency`, serviceP99Query(service), "ms"));
  }
  for (const subscription of input.subscriptions) {
    widgets.push(chart(`${subscription}: oldest unacked age`, `max(pubsub_googleapis_com:subscription_oldest_unacked_message_age{monitored_resource="pubsub_subscription",subscription_id="${subscription}"})`, "s"));
    widgets.push(chart(`${subscription}: dead-lettered`, `sum(increase(pubsub_googleapis_com:subscription_dead_letter_message_count{monitored_resource="pubsub_subscription",subscription_id="${subscription}"}[10m]))`, "messages"));
  }
  if (input.spannerInstance) widgets.push(chart("Spanner: high-priority CPU", `max(spanner_googleapis_com:instance_cpu_utilization_by_priority{monitored_resource="spanner_instance",instance_id="${input.spannerInstance}",priority="high"})`, "ratio"));
  if (input.redisInstance) widgets.push(chart("Redis: memory usage ratio", `max(redis_googleapis_com:stats_memory_usage_ratio{monitored_resource="redis_instance",instance_id=~"(.*/)?${input.redisInstance}"})`, "ratio"));
  const perRow = COLUMNS / WIDTH;
  const tiles = widgets.map((widget, i) => ({ xPos: (i % perRow) * WIDTH, yPos: Math.floor(i / perRow) * HEIGHT, width: WIDTH, height: HEIGHT, widget }));
  return { displayName: input.title, mosaicLayout: { columns: COLUMNS, tiles } };
}
