import { asArray, kubeName, kubeObject } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const kafkaListenerTls: ResourceRule = {
  id: "kafka-listener-tls",
  scope: "resource",
  layer: "events",
  stacks: ["portable"],
  what: "Every listener of a Strimzi Kafka cluster has `tls: true`.",
  why: "Events carry tenant and lease data and SCRAM credentials; a plaintext listener exposes both on the pod network.",
  fix: "Set `tls: true` on every entry of `spec.kafka.listeners` and connect clients with TLS (the manifest's `eventBus.tls`).",
  check(resource) {
    const object = kubeObject(resource, "Kafka");
    const listeners = asArray(object?.spec?.kafka?.listeners);
    return verdictOf(object !== undefined, [
      ...(listeners.length === 0 ? [`${kubeName(object)} declares no listeners`] : []),
      ...listeners.filter((l: any) => l?.tls !== true).map((l: any) => `${kubeName(object)} listener "${l?.name}" (port ${l?.port}) is plaintext`),
    ]);
  },
};
