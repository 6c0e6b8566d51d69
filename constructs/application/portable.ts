import { Construct } from "constructs";
import type { LayerContext } from "../core/context";
import { workloadIdentities } from "../core/accounts";
import type { ApplicationContract } from "./contract";

/** Kafka-consuming Deployments (filled in by the portable stack issue): each with its own ServiceAccount. */
export class PortableApplication extends Construct implements ApplicationContract {
  readonly identities: ApplicationContract["identities"];

  constructor(scope: Construct, id: string, ctx: LayerContext, processors: readonly string[]) {
    super(scope, id);
    this.identities = workloadIdentities(this, ctx, processors, "event-processor");
  }
}
