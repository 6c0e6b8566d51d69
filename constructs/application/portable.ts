import { Construct } from "constructs";
import { kubernetesServiceAccounts } from "../core/accounts";
import type { ApplicationContract } from "./contract";

export interface PortableApplicationProps {
  readonly namespace: string;
  readonly processors: readonly string[];
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Kafka-consuming Deployments (filled in by the portable stack issue): each with its own ServiceAccount. */
export class PortableApplication extends Construct implements ApplicationContract {
  readonly identities: ApplicationContract["identities"];

  constructor(scope: Construct, id: string, props: PortableApplicationProps) {
    super(scope, id);
    this.identities = kubernetesServiceAccounts(this, { namespace: props.namespace, workloads: props.processors, role: "event-processor", labels: props.labels });
  }
}
