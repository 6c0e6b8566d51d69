import { kubeName, kubeObject } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const kafkaAuthorizationEnabled: ResourceRule = {
  id: "kafka-authorization-enabled",
  scope: "resource",
  layer: "events",
  stacks: ["portable"],
  what: "Every Strimzi Kafka cluster enables authorization, and does not auto-create topics.",
  why: "Without an authorizer every authenticated user may read and write every topic; auto-created topics escape the catalog, the ACLs and the dead-letter design.",
  fix: "Set `spec.kafka.authorization: { type: \"simple\" }` and `config[\"auto.create.topics.enable\"]: false`.",
  check(resource) {
    const object = kubeObject(resource, "Kafka");
    const kafka = object?.spec?.kafka ?? {};
    const autoCreate = kafka.config?.["auto.create.topics.enable"];
    return verdictOf(object !== undefined, [
      ...(kafka.authorization?.type ? [] : [`${kubeName(object)} has no authorization`]),
      ...(autoCreate === false || autoCreate === "false" ? [] : [`${kubeName(object)} auto-creates topics (auto.create.topics.enable is ${autoCreate ?? "unset (true)"})`]),
    ]);
  },
};
