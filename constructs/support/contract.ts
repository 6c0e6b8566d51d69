import type { TelemetryManifest } from "@hexproperty/runtime/manifest";

/** Layer 6, support: logs, metrics, traces; the `telemetry` section of the runtime manifest. */
export interface SupportContract {
  readonly telemetry: TelemetryManifest;
}
