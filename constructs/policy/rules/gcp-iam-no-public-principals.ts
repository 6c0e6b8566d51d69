import { isIamGrant, iamGrants, onPublicEdge } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

const PUBLIC = ["allUsers", "allAuthenticatedUsers"];

export const gcpIamNoPublicPrincipals: ResourceRule = {
  id: "gcp-iam-no-public-principals",
  scope: "resource",
  layer: "any",
  stacks: ["gcp"],
  what: "No IAM grant to allUsers or allAuthenticatedUsers, except on the public edge (the interface layer), whose documented need is to be called by anyone and to authenticate callers by JWT itself.",
  why: "A public principal makes a service, topic, bucket or secret reachable by anyone on the internet, bypassing the gateway's authentication.",
  fix: "Grant roles/run.invoker (or the resource's role) to the gateway's or the caller's service account instead; only the interface layer may be public.",
  check(resource, settings) {
    const applicable = isIamGrant(resource.type) || resource.type === "google_iam_policy";
    // The documented need of the edge: public principals there are compliant.
    const grants = onPublicEdge(resource, settings.publicEdge) ? [] : iamGrants(resource);
    return verdictOf(applicable, grants.flatMap((g) => g.members.filter((m) => PUBLIC.includes(m)).map((m) => `grants ${g.role} to ${m} outside the public edge`)));
  },
};
