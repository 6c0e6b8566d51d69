import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import type { ChartPin } from "./charts";

export interface PinnedReleaseProps {
  readonly pin: ChartPin;
  /** Release name. */
  readonly name: string;
  readonly namespace: string;
  /** Chart values, rendered as one YAML (JSON) document. @default - the chart's defaults */
  readonly values?: Record<string, unknown>;
  /** Releases (or other resources) Terraform must finish first. @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** A Helm release of a pinned upstream chart, atomic, waiting until ready. */
export class PinnedRelease extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: PinnedReleaseProps) {
    super(scope, id);
    this.release = new Release(this, "release", {
      name: props.name,
      namespace: props.namespace,
      createNamespace: true,
      repository: props.pin.repository,
      chart: props.pin.chart,
      version: props.pin.version,
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: 600,
      maxHistory: 5,
      skipCrds: false,
      values: props.values ? [JSON.stringify(props.values)] : undefined,
      // Rendered by cdktf as plain addresses (helm_release.x), which is all depends_on accepts.
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }
}
