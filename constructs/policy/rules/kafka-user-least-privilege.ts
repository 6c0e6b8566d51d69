import { asArray, kubeName, kubeObject } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const kafkaUserLeastPrivilege: ResourceRule = {
  id: "kafka-user-least-privilege",
  scope: "resource",
  layer: "events",
  stacks: ["portable"],
  what: "Every KafkaUser authenticates and has ACLs on literal topic and group names only, without the `All` operation or a `*` resource.",
  why: "Wildcards and `All` give a workload topics and operations the domain catalog never granted it (delete, alter, other tenants' streams).",
  fix: "Grant through events.grantPublish / grantSubscribe, which render literal ACLs from the catalog.",
  check(resource) {
    const object = kubeObject(resource, "KafkaUser");
    const spec = object?.spec ?? {};
    const problems: string[] = [];
    if (object && !spec.authentication?.type) problems.push(`${kubeName(object)} has no authentication`);
    if (object && !spec.authorization?.type) problems.push(`${kubeName(object)} has no authorization`);
    for (const acl of asArray(spec.authorization?.acls)) {
      const r = acl?.resource ?? {};
      if (r.name === "*" || (r.patternType && r.patternType !== "literal")) problems.push(`${kubeName(object)} has an ACL on ${r.type} ${r.patternType ?? ""} "${r.name}"`);
      const operations = [...asArray(acl?.operations), ...asArray(acl?.operation)].map(String);
      if (operations.includes("All")) problems.push(`${kubeName(object)} has operation All on ${r.type} "${r.name}"`);
    }
    return verdictOf(object !== undefined, problems);
  },
};
