import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import type { GcpEnvironment, PortableEnvironment } from "../../environments";
import { nameTooLong } from "../errors";

interface LayerContextBase {
  readonly names: Naming;
  /** The environment's main stack (`hexproperty-<env>`): workloads, topics, stores. */
  readonly workloads: Construct;
  /**
   * Where operators, CRDs and the workload namespace go. On gcp the same as
   * `workloads`; on portable the separate `hexproperty-<env>-platform`
   * stack, which the main stack depends on, so custom resources never meet
   * a cluster without their CRDs.
   */
  readonly platform: Construct;
}

/** What a layer's index.ts is given on the gcp stack. */
export interface GcpLayerContext extends LayerContextBase {
  readonly stack: "gcp";
  readonly env: GcpEnvironment;
  readonly projectNumber: string;
  /** The google-beta provider; resources from @cdktf/provider-google-beta must name it. */
  readonly beta: TerraformProvider;
}

/** What a layer's index.ts is given on the portable stack. */
export interface PortableLayerContext extends LayerContextBase {
  readonly stack: "portable";
  readonly env: PortableEnvironment;
}

/**
 * The stack is chosen once (stacks/environment.ts) and the type says which:
 * only each layer's index.ts reads the context, narrows on `stack`, and maps
 * the environment to the props of one implementation.
 */
export type LayerContext = GcpLayerContext | PortableLayerContext;

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
    if (name.length > 30) throw nameTooLong(name, 30, "service account ids");
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
