import { kubeObject } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const k8sNamespacePodSecurity: ResourceRule = {
  id: "k8s-namespace-pod-security",
  scope: "resource",
  layer: "core",
  stacks: ["portable"],
  what: "Every Namespace a stack creates enforces Pod Security `restricted` (label pod-security.kubernetes.io/enforce=restricted).",
  why: "The admission controller is the last check that holds even when a chart or a hand-written manifest forgets a securityContext.",
  fix: "Label the namespace `pod-security.kubernetes.io/enforce: restricted`.",
  check(resource) {
    const object = kubeObject(resource, "Namespace");
    const level = object?.metadata?.labels?.["pod-security.kubernetes.io/enforce"];
    return verdictOf(object !== undefined, level === "restricted" ? [] : [`namespace ${object?.metadata?.name} enforces ${level ?? "no"} Pod Security level`]);
  },
};
