import { Construct } from "constructs";
import { dependable, type ITerraformDependable } from "cdktf";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";

/**
 * Any Kubernetes object: built-in kinds typed by the `kubernetes-models`
 * interfaces (type-only imports, no runtime cost), custom resources by the
 * layer's own spec types. `metadata.name` is required.
 */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: IObjectMeta;
}

export interface KubeResourceProps<T extends KubeObject> {
  /** The object exactly as Terraform's `kubernetes_manifest` server-side-applies it. */
  readonly object: T & { readonly metadata: IObjectMeta & { readonly name: string } };
  /** Resources Terraform must create first (e.g. the namespace). @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Apply waits until the object reports this status condition (kubernetes_manifest `wait.condition`), e.g. a Job's Complete. @default - no wait */
  readonly waitForCondition?: { readonly type: string; readonly status: "True" | "False" };
}

/**
 * Every Kubernetes object the stacks create is one `kubernetes_manifest`:
 * what `npm run verify` applies to a real API server is byte for byte what
 * Terraform would apply, with no conversion in between.
 */
export class KubeResource<T extends KubeObject = KubeObject> extends Construct {
  readonly resource: Manifest;
  readonly object: KubeResourceProps<T>["object"];
  private readonly dependencies = new Set<ITerraformDependable>();

  constructor(scope: Construct, id: string, props: KubeResourceProps<T>) {
    super(scope, id);
    this.object = props.object;
    this.resource = new Manifest(this, "resource", {
      manifest: props.object as unknown as Record<string, unknown>,
      ...(props.waitForCondition ? { wait: { condition: [{ type: props.waitForCondition.type, status: props.waitForCondition.status }] }, timeouts: { create: "10m", update: "10m" } } : {}),
    });
    for (const dependency of props.dependsOn ?? []) this.dependOn(dependency);
  }

  /** Makes Terraform create `dependency` first (idempotent). */
  dependOn(dependency: ITerraformDependable): void {
    if (this.dependencies.has(dependency)) return;
    this.dependencies.add(dependency);
    // dependable() renders the plain address (kubernetes_manifest.x); a bare fqn would render as an interpolation.
    this.resource.dependsOn = [...(this.resource.dependsOn ?? []), dependable(dependency)];
  }
}
