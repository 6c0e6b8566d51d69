import { isIamGrant, iamGrants, isReference } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

/** Administrative roles: `*.admin`, `*Admin` and the IAM-changing roles. */
export function isAdminRole(role: string): boolean {
  if (isReference(role)) return false;
  const name = role.replace(/^(projects\/[^/]+\/|organizations\/[^/]+\/)?roles\//, "");
  return /(^|\.)admin$/i.test(name) || /Admin$/.test(name) || ["resourcemanager.projectIamAdmin", "iam.serviceAccountTokenCreator", "iam.serviceAccountUser", "iam.serviceAccountKeyAdmin"].includes(name);
}

export const gcpIamNoAdminRoles: ResourceRule = {
  id: "gcp-iam-no-admin-roles",
  scope: "resource",
  layer: "any",
  stacks: ["gcp"],
  what: "No IAM grant of an administrative role (`*.admin`, `*Admin`, service-account user or token creator) to a workload.",
  why: "Admin roles let a workload change IAM, delete data or act as another identity: a runtime compromise becomes a control-plane compromise.",
  fix: "Grant the data-plane role the workload uses (publisher, subscriber, databaseUser, secretAccessor); administration belongs to the deploying identity, not to a stack resource.",
  check(resource) {
    const grants = iamGrants(resource);
    return verdictOf(isIamGrant(resource.type) || resource.type === "google_iam_policy", grants.filter((g) => isAdminRole(g.role)).map((g) => `grants administrative role ${g.role} to ${g.members.join(", ")}`));
  },
};
