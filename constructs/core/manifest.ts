import type { Construct } from "constructs";
import { KubeResource } from "./kube";

export interface CustomResourceProps {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** @default - no labels */
  readonly labels?: Record<string, string>;
  /** @default - no annotations */
  readonly annotations?: Record<string, string>;
  readonly spec: Record<string, unknown>;
}

/**
 * A namespaced custom resource. Only ever created in a workload stack whose
 * platform stack installed the CRD, so `plan` never meets a missing CRD.
 */
export class CustomResource extends KubeResource {
  constructor(scope: Construct, id: string, props: CustomResourceProps) {
    super(scope, id, {
      object: {
        apiVersion: props.apiVersion,
        kind: props.kind,
        metadata: {
          name: props.name,
          namespace: props.namespace,
          ...(props.labels ? { labels: props.labels } : {}),
          ...(props.annotations ? { annotations: props.annotations } : {}),
        },
        spec: props.spec,
      } as { apiVersion: string; kind: string; metadata: { name: string } },
    });
  }
}
