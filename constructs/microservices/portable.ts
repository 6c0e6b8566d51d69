import { Construct } from "constructs";
import { kubernetesServiceAccounts } from "../core/accounts";
import type { MicroservicesContract } from "./contract";

export interface PortableMicroservicesProps {
  readonly namespace: string;
  readonly services: readonly string[];
  /** Port every service listens on. @default 8080 */
  readonly port?: number;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Deployments, Services, HPAs and PDBs (filled in by the portable stack issue): per service its own ServiceAccount. */
export class PortableMicroservices extends Construct implements MicroservicesContract {
  readonly identities: MicroservicesContract["identities"];
  readonly endpoints: MicroservicesContract["endpoints"];

  constructor(scope: Construct, id: string, props: PortableMicroservicesProps) {
    super(scope, id);
    this.identities = kubernetesServiceAccounts(this, { namespace: props.namespace, workloads: props.services, role: "microservice", labels: props.labels });
    this.endpoints = Object.fromEntries(props.services.map((s) => [s, `http://${s}.${props.namespace}.svc.cluster.local:${props.port ?? 8080}`]));
  }
}
