import { kubeName, kubeObject, onPublicEdge } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const k8sServiceNotExposed: ResourceRule = {
  id: "k8s-service-not-exposed",
  scope: "resource",
  layer: "microservices",
  stacks: ["portable"],
  what: "No Kubernetes Service outside the public edge is of type LoadBalancer or NodePort.",
  why: "Services are reached through the gateway (Kong), which authenticates callers; an external Service skips it.",
  fix: "Use `type: ClusterIP` and route through the interface layer.",
  check(resource, settings) {
    const object = kubeObject(resource, "Service");
    const type = object?.spec?.type ?? "ClusterIP";
    return verdictOf(object !== undefined && !onPublicEdge(resource, settings.publicEdge), type === "LoadBalancer" || type === "NodePort" ? [`${kubeName(object)} is of type ${type}`] : []);
  },
};
