import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";

export interface CustomResourceProps {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly spec: Record<string, unknown>;
}

/**
 * A namespaced custom resource. Only ever created in a workload stack whose
 * platform stack installed the CRD, so `plan` never meets a missing CRD.
 */
export class CustomResource extends Construct {
  readonly resource: Manifest;

  constructor(scope: Construct, id: string, props: CustomResourceProps) {
    super(scope, id);
    this.resource = new Manifest(this, "resource", {
      manifest: {
        apiVersion: props.apiVersion,
        kind: props.kind,
        metadata: {
          name: props.name,
          namespace: props.namespace,
          ...(props.labels ? { labels: props.labels } : {}),
          ...(props.annotations ? { annotations: props.annotations } : {}),
        },
        spec: props.spec,
      },
    });
  }
}
