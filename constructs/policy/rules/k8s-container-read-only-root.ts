import { kubeContainers } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const k8sContainerReadOnlyRoot: ResourceRule = {
  id: "k8s-container-read-only-root",
  scope: "resource",
  layer: "microservices",
  stacks: ["portable"],
  what: "Every container has a read-only root filesystem.",
  why: "A writable root lets an attacker drop tools or change binaries in place; services write only to mounted volumes (emptyDir for /tmp).",
  fix: "Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir where the process needs to write.",
  check(resource) {
    const containers = kubeContainers(resource);
    return verdictOf(containers.length > 0, containers.filter(({ container }) => container?.securityContext?.readOnlyRootFilesystem !== true).map(({ where }) => `${where} has a writable root filesystem`));
  },
};
