import { onPublicEdge, one } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const gcpRunIngressNotAll: ResourceRule = {
  id: "gcp-run-ingress-not-all",
  scope: "resource",
  layer: "microservices",
  stacks: ["gcp"],
  what: "A Cloud Run service outside the public edge sets ingress to internal (or internal and load balancer), never `all`; unset means `all`.",
  why: "Services are reached through the gateway, which authenticates callers; direct internet ingress skips it.",
  fix: "Set `ingress: \"INGRESS_TRAFFIC_INTERNAL_ONLY\"` (or INTERNAL_LOAD_BALANCER) on the service; only the interface layer is public.",
  check(resource, settings) {
    if (resource.type === "google_cloud_run_v2_service") {
      const ingress = resource.config.ingress ?? "INGRESS_TRAFFIC_ALL";
      return verdictOf(true, !onPublicEdge(resource, settings.publicEdge) && ingress === "INGRESS_TRAFFIC_ALL" ? [`ingress is ${ingress}${resource.config.ingress ? "" : " (the default)"}`] : []);
    }
    if (resource.type === "google_cloud_run_service") {
      const ingress = one(resource.config.metadata)?.annotations?.["run.googleapis.com/ingress"] ?? "all";
      return verdictOf(true, !onPublicEdge(resource, settings.publicEdge) && ingress === "all" ? [`run.googleapis.com/ingress is "all"`] : []);
    }
    return verdictOf(false, []);
  },
};
