import { Construct } from "constructs";
import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config";
import type { LayerContext } from "../core/context";
import type { SupportContract } from "./contract";

/** Cloud Logging bucket with the environment's retention (alerting, uptime checks and dashboards follow in the gcp stack issue). */
export class GcpSupport extends Construct implements SupportContract {
  readonly telemetry: SupportContract["telemetry"];

  constructor(scope: Construct, id: string, ctx: LayerContext) {
    super(scope, id);
    const gcp = ctx.env.gcp!;
    new LoggingProjectBucketConfig(this, "logs", {
      project: gcp.projectId,
      location: "global",
      bucketId: ctx.names.resource("logs"),
      retentionDays: ctx.env.name === "prod" ? 90 : 30,
      description: `HexProperty ${ctx.env.name} service logs`,
    });
    this.telemetry = { logFormat: "cloud-logging", logLevel: ctx.env.name === "prod" ? "info" : "debug", traceBackend: "cloud-trace", traceSampleRatio: ctx.env.name === "prod" ? 0.1 : 1, metricPrefix: "hexproperty" };
  }
}
