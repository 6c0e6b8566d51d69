import { kubeContainers } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const k8sContainerNonRoot: ResourceRule = {
  id: "k8s-container-non-root",
  scope: "resource",
  layer: "microservices",
  stacks: ["portable"],
  what: "Every container runs as non-root (`runAsNonRoot: true` on the container or the pod, and no `runAsUser: 0`).",
  why: "Root in a container is root on the node after one kernel or runtime escape; Pod Security `restricted` rejects it anyway.",
  fix: "Set `securityContext.runAsNonRoot: true` (and a non-zero `runAsUser`) on the pod or each container.",
  check(resource) {
    const containers = kubeContainers(resource);
    const problems = containers.flatMap(({ where, container, pod }) => {
      const c = container?.securityContext ?? {};
      const p = pod?.securityContext ?? {};
      const nonRoot = c.runAsNonRoot ?? p.runAsNonRoot;
      const user = c.runAsUser ?? p.runAsUser;
      return nonRoot !== true ? [`${where} does not set runAsNonRoot: true`] : user === 0 ? [`${where} runs as user 0`] : [];
    });
    return verdictOf(containers.length > 0, problems);
  },
};
