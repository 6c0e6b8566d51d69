import { one } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const gcpArtifactRegistryImmutableTags: ResourceRule = {
  id: "gcp-artifact-registry-immutable-tags",
  scope: "resource",
  layer: "microservices",
  stacks: ["gcp"],
  what: "Every Docker repository in Artifact Registry has immutable tags.",
  why: "With mutable tags a deployed tag can be re-pushed: what runs is no longer what was reviewed, and a rollback may not roll back.",
  fix: "Set `docker_config: { immutable_tags: true }` on the repository.",
  check(resource) {
    const applicable = resource.type === "google_artifact_registry_repository" && (resource.config.format ?? "").toUpperCase() === "DOCKER";
    return verdictOf(applicable, one(resource.config.docker_config)?.immutable_tags === true ? [] : ["docker_config.immutable_tags is not true"]);
  },
};
