import { Construct } from "constructs";
import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config";
import type { Naming } from "../core/context";
import type { SupportContract } from "./contract";

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
}

/** Cloud Logging bucket in the region with the configured retention (alerting, uptime checks and dashboards follow in the gcp stack issue). */
export class GcpSupport extends Construct implements SupportContract {
  readonly telemetry: SupportContract["telemetry"];

  constructor(scope: Construct, id: string, props: GcpSupportProps) {
    super(scope, id);
    new LoggingProjectBucketConfig(this, "logs", {
      project: props.projectId,
      location: props.region,
      bucketId: props.names.resource("logs"),
      retentionDays: props.logRetentionDays ?? 30,
      description: `HexProperty ${props.names.environment} service logs`,
    });
    this.telemetry = { logFormat: "cloud-logging", logLevel: props.logLevel ?? "info", traceBackend: "cloud-trace", traceSampleRatio: props.traceSampleRatio ?? 0.1, metricPrefix: "hexproperty" };
  }
}
