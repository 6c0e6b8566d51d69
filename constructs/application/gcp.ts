import { Construct } from "constructs";
import type { LayerContext } from "../core/context";
import { workloadIdentities } from "../core/accounts";
import type { ApplicationContract } from "./contract";

/** Cloud Functions gen2 processors (filled in by the gcp stack issue): each with its own service account. */
export class GcpApplication extends Construct implements ApplicationContract {
  readonly identities: ApplicationContract["identities"];

  constructor(scope: Construct, id: string, ctx: LayerContext, processors: readonly string[]) {
    super(scope, id);
    this.identities = workloadIdentities(this, ctx, processors, "event-processor");
  }
}
