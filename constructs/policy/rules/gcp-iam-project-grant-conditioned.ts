import { iamGrants, one } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const gcpIamProjectGrantConditioned: ResourceRule = {
  id: "gcp-iam-project-grant-conditioned",
  scope: "resource",
  layer: "any",
  stacks: ["gcp"],
  what: "A project-level IAM grant (google_project_iam_member/binding) carries a condition that narrows it to the resource it is for.",
  why: "Without a condition a project-level grant reaches every database, topic or secret of that service in the project, present and future.",
  fix: "Grant on the resource itself (topic, subscription, database, secret) or add `condition` with an expression on resource.name.",
  check(resource) {
    const applicable = resource.type === "google_project_iam_member" || resource.type === "google_project_iam_binding";
    const condition = one(resource.config.condition);
    return verdictOf(applicable, condition?.expression ? [] : iamGrants(resource).map((g) => `grants ${g.role} on the whole project to ${g.members.join(", ")} without a condition`));
  },
};
