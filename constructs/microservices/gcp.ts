import { Construct } from "constructs";
import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository";
import type { Naming } from "../core/context";
import { gcpServiceAccounts } from "../core/accounts";
import type { MicroservicesContract } from "./contract";

export interface GcpMicroservicesProps {
  readonly projectId: string;
  /** Project number, for Cloud Run's deterministic service URLs. */
  readonly projectNumber: string;
  readonly region: string;
  readonly names: Naming;
  /** The request/response services, one identity each. */
  readonly services: readonly string[];
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Cloud Run services (filled in by the gcp stack issue): per service its own
 * service account, and the Artifact Registry repository the images live in.
 */
export class GcpMicroservices extends Construct implements MicroservicesContract {
  readonly identities: MicroservicesContract["identities"];
  readonly endpoints: MicroservicesContract["endpoints"];
  readonly repository: ArtifactRegistryRepository;

  constructor(scope: Construct, id: string, props: GcpMicroservicesProps) {
    super(scope, id);
    this.repository = new ArtifactRegistryRepository(this, "images", {
      project: props.projectId,
      location: props.region,
      repositoryId: props.names.resource("images"),
      format: "DOCKER",
      description: `HexProperty ${props.names.environment} service images`,
      labels: props.labels ? { ...props.labels } : undefined,
      dockerConfig: { immutableTags: true },
    });
    this.identities = gcpServiceAccounts(this, { projectId: props.projectId, names: props.names, workloads: props.services, role: "microservice" });
    // Cloud Run's deterministic URL: https://SERVICE-PROJECT_NUMBER.REGION.run.app
    this.endpoints = Object.fromEntries(props.services.map((s) => [s, `https://${props.names.resource(s)}-${props.projectNumber}.${props.region}.run.app`]));
  }
}
