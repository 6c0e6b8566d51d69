import { Construct } from "constructs";
import type { Naming } from "../core/context";
import { gcpServiceAccounts } from "../core/accounts";
import type { ApplicationContract } from "./contract";

export interface GcpApplicationProps {
  readonly projectId: string;
  readonly names: Naming;
  /** The event processors, one identity each. */
  readonly processors: readonly string[];
}

/** Event processors on Cloud Run / Cloud Functions gen2 (filled in by the gcp stack issue): each with its own service account. */
export class GcpApplication extends Construct implements ApplicationContract {
  readonly identities: ApplicationContract["identities"];

  constructor(scope: Construct, id: string, props: GcpApplicationProps) {
    super(scope, id);
    this.identities = gcpServiceAccounts(this, { projectId: props.projectId, names: props.names, workloads: props.processors, role: "event-processor" });
  }
}
