import { kubeContainers } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const k8sContainerNoPrivilegeEscalation: ResourceRule = {
  id: "k8s-container-no-privilege-escalation",
  scope: "resource",
  layer: "microservices",
  stacks: ["portable"],
  what: "Every container sets `allowPrivilegeEscalation: false` and is not privileged.",
  why: "setuid binaries or a privileged container turn a compromised process into root on the node.",
  fix: "Set `securityContext.allowPrivilegeEscalation: false` and remove `privileged: true`.",
  check(resource) {
    const containers = kubeContainers(resource);
    const problems = containers.flatMap(({ where, container }) => {
      const s = container?.securityContext ?? {};
      return [...(s.allowPrivilegeEscalation !== false ? [`${where} does not set allowPrivilegeEscalation: false`] : []), ...(s.privileged === true ? [`${where} is privileged`] : [])];
    });
    return verdictOf(containers.length > 0, problems);
  },
};
