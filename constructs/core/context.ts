import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import type { Environment } from "../../environments";

/**
 * What every layer is given: the validated environment and the scopes to put
 * its resources in. Only the layer decides, from `env.stack`, which
 * implementation it builds.
 */
export interface LayerContext {
  readonly env: Environment;
  readonly names: Naming;
  /** The environment's main stack (`hexproperty-<env>`): workloads, topics, stores. */
  readonly workloads: Construct;
  /**
   * Where operators and CRDs go. On gcp the same as `workloads`; on portable
   * the separate `hexproperty-<env>-platform` stack, which the main stack
   * depends on so custom resources never meet a cluster without their CRDs.
   */
  readonly platform: Construct;
  /** Google project facts, known on the gcp stack only. */
  readonly gcp?: {
    readonly projectNumber: string;
    /** The google-beta provider; resources from @cdktf/provider-google-beta must name it. */
    readonly beta: TerraformProvider;
  };
}

/** Stable, readable resource names: `hexproperty-<env>-<part>`. */
export class Naming {
  constructor(readonly environment: string) {}

  /** `hexproperty-<env>-<parts...>` */
  resource(...parts: string[]): string {
    return ["hexproperty", this.environment, ...parts].join("-");
  }

  /** Short form for names with tight limits (service account ids: 6-30 chars). */
  short(...parts: string[]): string {
    const name = ["hp", this.environment, ...parts].join("-");
    if (name.length > 30) throw new Error(`name "${name}" is ${name.length} characters; service account ids allow at most 30`);
    return name;
  }

  static stackName(environment: string, part?: string): string {
    return part ? `hexproperty-${environment}-${part}` : `hexproperty-${environment}`;
  }
}

/**
 * The construct a layer's operators and CRDs go into: a folder named after
 * the layer inside the platform stack (on gcp, the layer itself), so every
 * resource's address says which layer it belongs to.
 */
export function platformScope(ctx: LayerContext, layer: string): Construct {
  const existing = ctx.platform.node.tryFindChild(layer);
  return existing ? (existing as Construct) : new Construct(ctx.platform, layer);
}
