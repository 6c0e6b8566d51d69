import { asArray, kubeName, kubeObject } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const kafkaListenerAuthentication: ResourceRule = {
  id: "kafka-listener-authentication",
  scope: "resource",
  layer: "events",
  stacks: ["portable"],
  what: "Every listener of a Strimzi Kafka cluster authenticates clients (scram-sha-512, tls or oauth).",
  why: "Without authentication the ACLs rendered from the grants mean nothing: every client is ANONYMOUS.",
  fix: "Set `authentication: { type: \"scram-sha-512\" }` on the listener; each workload gets a KafkaUser from its grants.",
  check(resource) {
    const object = kubeObject(resource, "Kafka");
    const listeners = asArray(object?.spec?.kafka?.listeners);
    return verdictOf(object !== undefined, listeners.filter((l: any) => !l?.authentication?.type).map((l: any) => `${kubeName(object)} listener "${l?.name}" does not authenticate clients`));
  },
};
