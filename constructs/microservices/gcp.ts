import { Construct } from "constructs";
import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository";
import type { LayerContext } from "../core/context";
import { workloadIdentities } from "../core/accounts";
import type { MicroservicesContract } from "./contract";

/**
 * Cloud Run services (filled in by the gcp stack issue): per service its own
 * service account, and the Artifact Registry repository the images live in.
 */
export class GcpMicroservices extends Construct implements MicroservicesContract {
  readonly identities: MicroservicesContract["identities"];
  readonly endpoints: MicroservicesContract["endpoints"];
  readonly repository: ArtifactRegistryRepository;

  constructor(scope: Construct, id: string, ctx: LayerContext, services: readonly string[]) {
    super(scope, id);
    const gcp = ctx.env.gcp!;
    this.repository = new ArtifactRegistryRepository(this, "images", {
      project: gcp.projectId,
      location: gcp.region,
      repositoryId: ctx.names.resource("images"),
      format: "DOCKER",
      description: `HexProperty ${ctx.env.name} service images`,
      labels: ctx.env.labels,
      dockerConfig: { immutableTags: true },
    });
    this.identities = workloadIdentities(this, ctx, services, "microservice");
    // Cloud Run's deterministic URL: https://SERVICE-PROJECT_NUMBER.REGION.run.app
    this.endpoints = Object.fromEntries(services.map((s) => [s, `https://${ctx.names.resource(s)}-${ctx.gcp!.projectNumber}.${gcp.region}.run.app`]));
  }
}
