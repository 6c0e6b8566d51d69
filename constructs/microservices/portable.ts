import { Construct } from "constructs";
import type { LayerContext } from "../core/context";
import { workloadIdentities } from "../core/accounts";
import type { MicroservicesContract } from "./contract";

/** Deployments, Services, HPAs and PDBs (filled in by the portable stack issue): per service its own ServiceAccount. */
export class PortableMicroservices extends Construct implements MicroservicesContract {
  readonly identities: MicroservicesContract["identities"];
  readonly endpoints: MicroservicesContract["endpoints"];

  constructor(scope: Construct, id: string, ctx: LayerContext, services: readonly string[]) {
    super(scope, id);
    const ns = ctx.env.portable!.namespace;
    this.identities = workloadIdentities(this, ctx, services, "microservice");
    this.endpoints = Object.fromEntries(services.map((s) => [s, `http://${s}.${ns}.svc.cluster.local:8080`]));
  }
}
