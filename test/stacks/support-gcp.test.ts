import { Testing } from "cdktf";
import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config";
import { supportLayer } from "../../constructs/support";
import { buildDashboard } from "../../constructs/support/dashboard";
import { contextFor, environment, ofType, synthAll } from "../support/synth";

const staging = environment("staging");
const watched = { services: ["property", "leasing", "search"], subscriptions: ["hexproperty-staging-projector-property", "hexproperty-staging-projector-leasing"], publicHost: "gw.example.dev" };
const synth = (env = staging) => JSON.parse(Testing.synthScope((scope) => { supportLayer(contextFor(scope, env), watched); }));
const policies = (json: any) => ofType(json, "google_monitoring_alert_policy") as Array<Record<string, any>>;
const named = (json: any, text: string) => policies(json).find((p) => String(p.display_name).includes(text))!;

describe("gcp support (logging, monitoring, tracing)", () => {
  test("given the retention key, when synthesized, then the log bucket is regional and a sink routes the services' logs into it", () => {
    const json = synth();
    expect(JSON.stringify(json)).toContain('"location":"europe-west1"');
    expect(Testing.synthScope((scope) => { supportLayer(contextFor(scope, staging), watched); })).toHaveResourceWithProperties(LoggingProjectBucketConfig, { retention_days: 30 });
    const [sink] = ofType(json, "google_logging_project_sink");
    expect(sink!.destination).toMatch(/^logging\.googleapis\.com\/projects\/hexproperty-staging\/locations\/europe-west1\/buckets\//);
    expect(sink!.filter).toBe('resource.type="cloud_run_revision" AND (resource.labels.service_name="hexproperty-staging-property" OR resource.labels.service_name="hexproperty-staging-leasing" OR resource.labels.service_name="hexproperty-staging-search")');
  });

  test("given alerting.emails, when synthesized, then one email channel each, and every alert policy notifies all of them", () => {
    const json = synth(environment("prod"));
    const channels = ofType(json, "google_monitoring_notification_channel");
    expect(channels.map((c) => [c.type, (c.labels as Record<string, string>).email_address])).toEqual([["email", "platform-alerts@hexproperty.example"], ["email", "oncall@hexproperty.example"]]);
    for (const p of policies(json)) expect(p.notification_channels).toHaveLength(2);
  });

  test("given each service, when synthesized, then it has a 5xx-ratio and a p99-latency alert (PromQL on Cloud Run's request metrics) with the configured thresholds", () => {
    const json = synth();
    expect(named(json, "hexproperty-staging-search 5xx").conditions[0].condition_prometheus_query_language.query).toBe(
      'sum(rate(run_googleapis_com:request_count{monitored_resource="cloud_run_revision",service_name="hexproperty-staging-search",response_code_class="5xx"}[5m])) / sum(rate(run_googleapis_com:request_count{monitored_resource="cloud_run_revision",service_name="hexproperty-staging-search"}[5m])) > 0.05',
    );
    expect(named(json, "hexproperty-staging-search p99").conditions[0].condition_prometheus_query_language.query).toMatch(/^histogram_quantile\(0\.99, .*request_latencies_bucket.*service_name="hexproperty-staging-search".* > 2000$/);
  });

  test("given each subscription, when synthesized, then it has an oldest-unacked-age alert and a dead-letter growth alert", () => {
    const json = synth();
    const backlog = named(json, "hexproperty-staging-projector-leasing oldest unacked").conditions[0].condition_threshold;
    expect(backlog).toMatchObject({ comparison: "COMPARISON_GT", threshold_value: 600, filter: expect.stringContaining('metric.type="pubsub.googleapis.com/subscription/oldest_unacked_message_age"') });
    const dead = named(json, "hexproperty-staging-projector-leasing dead-lettered").conditions[0].condition_threshold;
    expect(dead).toMatchObject({ threshold_value: 0, filter: expect.stringContaining("subscription/dead_letter_message_count"), aggregations: [{ per_series_aligner: "ALIGN_DELTA" }] });
  });

  test("given the stores, when synthesized, then Spanner high-priority CPU and Redis memory have alerts", () => {
    const json = synth();
    expect(named(json, "Spanner").conditions[0].condition_threshold.filter).toContain('resource.label.instance_id="hexproperty-staging-read"');
    expect(named(json, "Redis").conditions[0].condition_threshold).toMatchObject({ threshold_value: 0.8, filter: expect.stringContaining("redis.googleapis.com/stats/memory/usage_ratio") });
  });

  test("given the public host, when synthesized, then HTTPS uptime checks call the public routes and alert when failing", () => {
    const json = synth();
    const checks = ofType(json, "google_monitoring_uptime_check_config") as Array<Record<string, any>>;
    expect(checks.map((c) => [c.http_check.path, c.http_check.use_ssl, c.monitored_resource.labels.host])).toEqual([["/healthz", true, "gw.example.dev"]]);
    expect(named(json, "/healthz failing").conditions[0].condition_threshold.filter).toContain("uptime_check/check_passed");
  });

  test("given the environment, when synthesized, then one dashboard is built from typed code with a chart per service concern, subscription and store", () => {
    const json = synth();
    const [dashboard] = ofType(json, "google_monitoring_dashboard");
    const parsed = JSON.parse(String(dashboard!.dashboard_json));
    expect(parsed).toEqual(buildDashboard({ title: "HexProperty staging", services: watched.services.map((s) => `hexproperty-staging-${s}`), subscriptions: watched.subscriptions, spannerInstance: "hexproperty-staging-read", redisInstance: "hexproperty-staging-cache" }));
    expect(parsed.mosaicLayout.tiles).toHaveLength(3 * 3 + 2 * 2 + 2);
  });

  test("given the telemetry keys, when asked for the manifest section, then logs are Cloud Logging JSON and traces go to Cloud Trace at the configured ratio", () => {
    let telemetry: unknown;
    Testing.synthScope((scope) => { telemetry = supportLayer(contextFor(scope, staging), watched).telemetry; });
    expect(telemetry).toMatchObject({ logFormat: "cloud-logging", logLevel: "debug", traceBackend: "cloud-trace", traceSampleRatio: 1 });
  });
});

describe("gcp traces (OpenTelemetry Collector sidecar)", () => {
  const image = `us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google@sha256:${"a".repeat(64)}`;
  const telemetryOf = (stack: ReturnType<typeof synthAll>[string]) => (stack.output!.runtime_manifest!.value as { telemetry: Record<string, unknown> }).telemetry;
  const manifestsOf = (stack: ReturnType<typeof synthAll>[string]) => Object.values(stack.output!.workload_manifests!.value as Record<string, { telemetry: Record<string, unknown> }>);

  test.each(["staging", "prod"])("given %s as shipped, when synthesized, then traces leave: every workload runs Google's collector by digest, every manifest exports OTLP to it, and every workload may write traces", (name) => {
    const stack = synthAll([environment(name)])[`hexproperty-${name}`]!;
    const services = ofType(stack, "google_cloud_run_v2_service") as Array<Record<string, any>>;
    expect(services).toHaveLength(4);
    for (const s of services) {
      const sidecar = s.template.containers[1];
      expect(sidecar?.image).toMatch(/^us-docker\.pkg\.dev\/cloud-ops-agents-artifacts\/google-cloud-opentelemetry-collector\/otelcol-google@sha256:[a-f0-9]{64}$/);
      expect(JSON.parse(sidecar.env[0].value).service.pipelines.traces).toMatchObject({ receivers: ["otlp"], exporters: ["googlecloud"] });
    }
    for (const telemetry of [telemetryOf(stack), ...manifestsOf(stack).map((m) => m.telemetry)]) {
      expect(telemetry).toMatchObject({ traceBackend: "cloud-trace", otlpEndpoint: "http://localhost:4318" });
      expect(telemetry.traceSampleRatio).toBeGreaterThan(0);
    }
    const traceWriters = ofType(stack, "google_project_iam_member").filter((m) => m.role === "roles/cloudtrace.agent");
    expect(traceWriters).toHaveLength(4);
  });

  test("given no collector image, when synthesized, then no sidecar runs, the manifest names no OTLP endpoint and no telemetry role is granted", () => {
    const stack = synthAll([environment("staging", { gcp: { telemetryCollectorImage: null } })])["hexproperty-staging"]!;
    for (const s of ofType(stack, "google_cloud_run_v2_service") as Array<Record<string, any>>) expect(s.template.containers).toHaveLength(1);
    expect(telemetryOf(stack).otlpEndpoint).toBeUndefined();
    expect(ofType(stack, "google_project_iam_member").map((m) => m.role)).not.toContain("roles/cloudtrace.agent");
  });

  test("given gcp.telemetryCollectorImage, when synthesized, then each workload runs the collector beside it, exports to it, and may write traces and metrics", () => {
    const stack = synthAll([environment("staging", { gcp: { telemetryCollectorImage: image } })])["hexproperty-staging"]!;
    const services = ofType(stack, "google_cloud_run_v2_service") as Array<Record<string, any>>;
    for (const s of services) {
      const [main, sidecar] = s.template.containers;
      expect(sidecar).toMatchObject({ name: "otel-collector", image, args: ["--config=env:OTELCOL_CONFIG"] });
      expect(JSON.parse(sidecar.env[0].value).exporters).toEqual({ googlecloud: {}, googlemanagedprometheus: {} });
      expect(main.ports).toEqual({ container_port: 8080 });
    }
    expect(telemetryOf(stack).otlpEndpoint).toBe("http://localhost:4318");
    const roles = ofType(stack, "google_project_iam_member").filter((m) => /cloudtrace|monitoring/.test(String(m.role)));
    expect(roles).toHaveLength(4 * 2);
  });
});
