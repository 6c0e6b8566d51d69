import type { TelemetryManifest } from "@hexproperty/runtime/manifest";
import type { Identity } from "../core/identity";

/** Layer 6, support: logs, metrics, traces; the `telemetry` section of the runtime manifest. */
export interface SupportContract {
  readonly telemetry: TelemetryManifest;
  /** Lets `identity` write traces and metrics (gcp: when a collector exports them). @default - nothing to grant */
  grantTelemetry?(identity: Identity): void;
}
