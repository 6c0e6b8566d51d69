import { platformScope, type LayerContext } from "../core/context";
import { unreachable } from "../errors";
import { COLLECTOR_OTLP_ENDPOINT } from "../core/cloud-run";
import type { SupportContract } from "./contract";
import { GcpSupport } from "./gcp";
import { PortableSupport } from "./portable";

export * from "./contract";
export { GcpSupport, PortableSupport };
export type { GcpSupportProps } from "./gcp";
export type { PortableSupportProps } from "./portable";

/** What the support layer watches (gcp: alerts, uptime checks, the dashboard, the log sink). */
export interface Watched {
  /** Workloads serving requests (alerted on 5xx ratio and p99 latency). */
  readonly services: readonly string[];
  /** Subscriptions, provider-side names (alerted on backlog age and dead letters). */
  readonly subscriptions: readonly string[];
  /** Every workload (portable: ServiceMonitors, telemetry flows). @default - `services` */
  readonly workloads?: readonly string[];
  /** Dead-letter topics (portable: alerted on growth). @default - none */
  readonly deadLetterTopics?: readonly string[];
  /** Host name of the public entry (uptime checks). */
  readonly publicHost?: string;
}

/** Layer 6: maps the environment (telemetry and alerting keys) to one implementation's props. */
export function supportLayer(ctx: LayerContext, watched: Watched = { services: [], subscriptions: [] }): SupportContract {
  const { logLevel, traceSampleRatio, logRetentionDays } = ctx.env.telemetry;
  switch (ctx.stack) {
    case "gcp":
      return new GcpSupport(ctx.workloads, "support", {
        projectId: ctx.env.gcp.projectId, region: ctx.env.gcp.region, names: ctx.names, logRetentionDays, logLevel, traceSampleRatio, labels: ctx.env.labels,
        services: watched.services.map((s) => ctx.names.resource(s)), subscriptions: watched.subscriptions, publicHost: watched.publicHost,
        spannerInstance: ctx.names.resource("read"), redisInstance: ctx.names.resource("cache"),
        notificationEmails: ctx.env.gcp.alerting.emails, thresholds: ctx.env.gcp.alerting,
        otlpEndpoint: ctx.env.gcp.telemetryCollectorImage ? COLLECTOR_OTLP_ENDPOINT : undefined,
      });
    case "portable":
      return new PortableSupport(ctx.workloads, "support", {
        operatorsNamespace: ctx.env.portable.operatorsNamespace, logLevel, traceSampleRatio, platform: platformScope(ctx, "support"), labels: ctx.env.labels,
        namespace: ctx.env.portable.namespace, services: watched.services, workloads: watched.workloads, consumerGroups: watched.subscriptions,
        deadLetterTopics: watched.deadLetterTopics, kafkaCluster: ctx.names.resource("kafka"), thresholds: ctx.env.portable.alerting,
        logs: { ...ctx.env.portable.logs, collectorNamespace: ctx.names.resource("logging"), name: ctx.names.resource("logs"), storageClass: ctx.env.portable.storageClass, retentionDays: logRetentionDays },
      });
    default:
      return unreachable(ctx, "stack");
  }
}
