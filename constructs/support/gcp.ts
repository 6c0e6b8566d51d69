import { Construct } from "constructs";
import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config";
import { LoggingProjectSink } from "@cdktf/provider-google/lib/logging-project-sink";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel";
import { MonitoringAlertPolicy, type MonitoringAlertPolicyConditions } from "@cdktf/provider-google/lib/monitoring-alert-policy";
import { MonitoringUptimeCheckConfig } from "@cdktf/provider-google/lib/monitoring-uptime-check-config";
import { MonitoringDashboard } from "@cdktf/provider-google/lib/monitoring-dashboard";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { GrantLedger, iamMember, type Identity } from "../core/identity";
import type { Naming } from "../core/context";
import { addSuppressions } from "../policy";
import { enableApis } from "../core/gcp-apis";
import type { SupportContract } from "./contract";
import { buildDashboard, serviceErrorRatioQuery, serviceP99Query } from "./dashboard";

export interface GcpAlertThresholds {
  /** A service's 5xx share of requests, percent. */
  readonly errorRatioPercent: number;
  /** A service's p99 latency, milliseconds. */
  readonly p99LatencyMs: number;
  /** Age of a subscription's oldest unacknowledged message, seconds. */
  readonly oldestUnackedSeconds: number;
}

export interface GcpSupportProps {
  readonly projectId: string;
  /** Where the log bucket keeps its data (data residency). */
  readonly region: string;
  readonly names: Naming;
  /** Days the log bucket keeps entries. @default 30 */
  readonly logRetentionDays?: number;
  /** @default "info" */
  readonly logLevel?: SupportContract["telemetry"]["logLevel"];
  /** Fraction of requests traced. @default 0.1 */
  readonly traceSampleRatio?: number;
  /** Cloud Run services to watch (5xx ratio, p99 latency) and whose logs the sink routes. @default - none */
  readonly services?: readonly string[];
  /** Pub/Sub subscriptions to watch (oldest unacked age, dead-letter growth). @default - none */
  readonly subscriptions?: readonly string[];
  /** Spanner instance to watch (high-priority CPU). @default - none */
  readonly spannerInstance?: string;
  /** Memorystore instance to watch (memory usage ratio). @default - none */
  readonly redisInstance?: string;
  /** Host name of the public entry; uptime checks call its public routes over HTTPS. @default - no uptime checks */
  readonly publicHost?: string;
  /**
   * Public routes the uptime checks call. Not /readyz by default: behind the gateway it is property's, and
   * the services' readiness pings every backend of the manifest (the read model too, which property may not
   * read), so it answers 503 under least-privilege IAM. @default ["/healthz"]
   */
  readonly publicPaths?: readonly string[];
  /** E-mail addresses notified of every alert (one notification channel each). @default - none: alerts show in the console only */
  readonly notificationEmails?: readonly string[];
  /** OTLP endpoint the workloads export traces and metrics to (the collector sidecar). @default - none: nothing is exported */
  readonly otlpEndpoint?: string;
  /** @default - 5 % errors, 2000 ms p99, 600 s oldest unacked */
  readonly thresholds?: GcpAlertThresholds;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

const DEFAULT_THRESHOLDS: GcpAlertThresholds = { errorRatioPercent: 5, p99LatencyMs: 2000, oldestUnackedSeconds: 600 };
/** Google's guidance for a regional Spanner instance: keep high-priority CPU under 65 %. */
const SPANNER_HIGH_PRIORITY_CPU = 0.65;
const REDIS_MEMORY_RATIO = 0.8;

/**
 * Cloud Logging (regional bucket with the configured retention, a sink that
 * routes the services' logs into it), Cloud Monitoring (notification
 * channels, alert policies, uptime checks on the public routes, one
 * dashboard), Cloud Trace enabled; the `telemetry` section of the manifest
 * says how the services log and trace.
 */
export class GcpSupport extends Construct implements SupportContract {
  readonly telemetry: SupportContract["telemetry"];
  private readonly grants = new GrantLedger();
  private readonly projectId: string;

  constructor(scope: Construct, id: string, props: GcpSupportProps) {
    super(scope, id);
    const { projectId, names } = props;
    this.projectId = projectId;
    const userLabels = props.labels ? { ...props.labels } : undefined;
    const t = props.thresholds ?? DEFAULT_THRESHOLDS;
    const services = props.services ?? [];
    const subscriptions = props.subscriptions ?? [];
    const apis = enableApis(this, projectId, ["logging.googleapis.com", "monitoring.googleapis.com", "cloudtrace.googleapis.com"]);

    const bucket = new LoggingProjectBucketConfig(this, "logs", {
      project: projectId,
      location: props.region,
      bucketId: names.resource("logs"),
      retentionDays: props.logRetentionDays ?? 30,
      description: `HexProperty ${names.environment} service logs`,
      dependsOn: apis,
    });
    if (services.length > 0) {
      // Same-project log bucket destination: the sink needs no grant of its own.
      new LoggingProjectSink(this, "services-sink", {
        project: projectId,
        name: names.resource("services"),
        destination: `logging.googleapis.com/projects/${projectId}/locations/${props.region}/buckets/${bucket.bucketId}`,
        filter: `resource.type="cloud_run_revision" AND (${services.map((s) => `resource.labels.service_name="${s}"`).join(" OR ")})`,
        description: "The services' logs, kept in the environment's regional bucket",
        uniqueWriterIdentity: true,
      });
    }

    const channels = (props.notificationEmails ?? []).map((email, i) => {
      const channel = new MonitoringNotificationChannel(this, `email-${i}`, {
        project: projectId,
        displayName: `HexProperty ${names.environment}: ${email}`,
        type: "email",
        // The email channel type's parameters (its `labels` argument), not resource labels: user_labels are those.
        labels: { email_address: email },
        userLabels,
        dependsOn: apis,
      });
      addSuppressions(channel, [{ rule: "gcp-labels-valid", reason: "`labels` of google_monitoring_notification_channel are the channel type's parameters (email_address), not resource labels; its resource labels are user_labels, which the rule still checks." }]);
      return channel.name;
    });
    const alert = (id: string, displayName: string, severity: "ERROR" | "WARNING", doc: string, conditions: MonitoringAlertPolicyConditions[]) => new MonitoringAlertPolicy(this, id, {
      project: projectId,
      displayName: `HexProperty ${names.environment}: ${displayName}`,
      combiner: "OR",
      severity,
      conditions,
      notificationChannels: channels,
      alertStrategy: { autoClose: "1800s" },
      documentation: { content: doc, mimeType: "text/markdown" },
      userLabels,
      dependsOn: apis,
    });
    const threshold = (displayName: string, filter: string, value: number, aligner: string, period = "300s", duration = "300s"): MonitoringAlertPolicyConditions => ({
      displayName,
      conditionThreshold: { filter, comparison: "COMPARISON_GT", thresholdValue: value, duration, aggregations: [{ alignmentPeriod: period, perSeriesAligner: aligner }], trigger: { count: 1 } },
    });

    for (const service of services) {
      alert(`${service}-5xx`, `${service} 5xx ratio above ${t.errorRatioPercent} %`, "ERROR", `More than ${t.errorRatioPercent} % of ${service}'s responses are 5xx over 5 minutes. Check the service's logs in the ${bucket.bucketId} bucket.`, [{
        displayName: `${service} 5xx ratio`,
        conditionPrometheusQueryLanguage: { query: `${serviceErrorRatioQuery(service)} > ${t.errorRatioPercent / 100}`, duration: "300s", evaluationInterval: "60s" },
      }]);
      alert(`${service}-p99`, `${service} p99 latency above ${t.p99LatencyMs} ms`, "WARNING", `${service}'s 99th percentile request latency is above ${t.p99LatencyMs} ms over 5 minutes.`, [{
        displayName: `${service} p99 latency`,
        conditionPrometheusQueryLanguage: { query: `${serviceP99Query(service)} > ${t.p99LatencyMs}`, duration: "300s", evaluationInterval: "60s" },
      }]);
    }
    for (const subscription of subscriptions) {
      const resource = `resource.type="pubsub_subscription" AND resource.label.subscription_id="${subscription}"`;
      alert(`${subscription}-backlog`, `${subscription} oldest unacked message older than ${t.oldestUnackedSeconds} s`, "ERROR", `The consumer of ${subscription} is not keeping up (or is down).`, [
        threshold(`${subscription} oldest unacked age`, `metric.type="pubsub.googleapis.com/subscription/oldest_unacked_message_age" AND ${resource}`, t.oldestUnackedSeconds, "ALIGN_MAX", "60s"),
      ]);
      alert(`${subscription}-dead-letters`, `${subscription} dead-lettered messages`, "ERROR", `Messages of ${subscription} exhausted their delivery attempts and went to the dead-letter topic; inspect them with the dead-letter reader subscription.`, [
        threshold(`${subscription} dead-letter growth`, `metric.type="pubsub.googleapis.com/subscription/dead_letter_message_count" AND ${resource}`, 0, "ALIGN_DELTA", "300s", "0s"),
      ]);
    }
    if (props.spannerInstance) {
      alert("spanner-cpu", `Spanner high-priority CPU above ${SPANNER_HIGH_PRIORITY_CPU * 100} %`, "WARNING", "The read model's Spanner instance needs more processing units (gcp.spannerProcessingUnits).", [
        threshold("Spanner high-priority CPU", `metric.type="spanner.googleapis.com/instance/cpu/utilization_by_priority" AND metric.label.priority="high" AND resource.type="spanner_instance" AND resource.label.instance_id="${props.spannerInstance}"`, SPANNER_HIGH_PRIORITY_CPU, "ALIGN_MEAN"),
      ]);
    }
    if (props.redisInstance) {
      alert("redis-memory", `Redis memory usage above ${REDIS_MEMORY_RATIO * 100} %`, "WARNING", "The cache is close to its memory limit (gcp.redisMemoryGb); evictions follow.", [
        threshold("Redis memory usage ratio", `metric.type="redis.googleapis.com/stats/memory/usage_ratio" AND resource.type="redis_instance" AND resource.label.instance_id=ends_with("${props.redisInstance}")`, REDIS_MEMORY_RATIO, "ALIGN_MEAN"),
      ]);
    }

    if (props.publicHost) {
      for (const path of props.publicPaths ?? ["/healthz"]) {
        const id = `uptime${path.replace(/[^a-z0-9]+/gi, "-")}`;
        const check = new MonitoringUptimeCheckConfig(this, id, {
          project: projectId,
          displayName: `HexProperty ${names.environment} ${path}`,
          timeout: "10s",
          period: "300s",
          checkerType: "STATIC_IP_CHECKERS",
          httpCheck: { path, port: 443, useSsl: true, validateSsl: true, requestMethod: "GET", acceptedResponseStatusCodes: [{ statusClass: "STATUS_CLASS_2XX" }] },
          monitoredResource: { type: "uptime_url", labels: { project_id: projectId, host: props.publicHost } },
          userLabels,
          dependsOn: apis,
        });
        alert(`${id}-failing`, `${path} failing uptime checks`, "ERROR", `The public route ${path} does not answer 2xx through the gateway from several checker regions.`, [{
          displayName: `${path} uptime`,
          conditionThreshold: {
            filter: `metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND metric.label.check_id="${check.uptimeCheckId}" AND resource.type="uptime_url"`,
            comparison: "COMPARISON_GT",
            thresholdValue: 1,
            duration: "600s",
            aggregations: [{ alignmentPeriod: "1200s", perSeriesAligner: "ALIGN_NEXT_OLDER", crossSeriesReducer: "REDUCE_COUNT_FALSE", groupByFields: ["resource.label.*"] }],
            trigger: { count: 1 },
          },
        }]);
      }
    }

    new MonitoringDashboard(this, "dashboard", {
      project: projectId,
      dashboardJson: JSON.stringify(buildDashboard({ title: `HexProperty ${names.environment}`, services, subscriptions, spannerInstance: props.spannerInstance, redisInstance: props.redisInstance })),
      dependsOn: apis,
    });

    this.telemetry = {
      logFormat: "cloud-logging",
      logLevel: props.logLevel ?? "info",
      ...(props.otlpEndpoint ? { otlpEndpoint: props.otlpEndpoint } : {}),
      traceBackend: "cloud-trace",
      traceSampleRatio: props.traceSampleRatio ?? 0.1,
      metricPrefix: "hexproperty",
    };
  }

  /** Cloud Trace agent and Monitoring metric writer (write-only roles; the project is the lowest level they are granted at), only when something exports. */
  grantTelemetry(identity: Identity): void {
    if (!this.telemetry.otlpEndpoint) return;
    for (const role of ["roles/cloudtrace.agent", "roles/monitoring.metricWriter"]) {
      const key = `${role.split("/")[1]!.replace(/\./g, "-")}-${identity.name}`;
      this.grants.once(key, () => addSuppressions(new ProjectIamMember(this, key, { project: this.projectId, role, member: iamMember(identity) }), [{
        rule: "gcp-iam-project-grant-conditioned",
        reason: `${role} only writes telemetry (no read of any data) and the project is the lowest level it can be granted at; there is no per-resource form to narrow it to.`,
      }]));
    }
  }
}
