import { isIamGrant, iamGrants } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

const BASIC = ["roles/owner", "roles/editor", "roles/viewer"];

export const gcpIamNoBasicRoles: ResourceRule = {
  id: "gcp-iam-no-basic-roles",
  scope: "resource",
  layer: "any",
  stacks: ["gcp"],
  what: "No IAM grant of a basic (primitive) role: roles/owner, roles/editor, roles/viewer.",
  why: "Basic roles span every service of the project; one leaked identity then reaches every store and topic.",
  fix: "Grant the narrow predefined role through the layer's grant method (e.g. events.grantPublish), on the one resource it needs.",
  check(resource) {
    const grants = iamGrants(resource);
    return verdictOf(isIamGrant(resource.type) || resource.type === "google_iam_policy", grants.filter((g) => BASIC.includes(g.role)).map((g) => `grants basic role ${g.role} to ${g.members.join(", ")}`));
  },
};
