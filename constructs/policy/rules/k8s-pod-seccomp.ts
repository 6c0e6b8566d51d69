import { kubeContainers } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const k8sPodSeccomp: ResourceRule = {
  id: "k8s-pod-seccomp",
  scope: "resource",
  layer: "microservices",
  stacks: ["portable"],
  what: "Every container runs with the seccomp profile RuntimeDefault (or a Localhost profile), set on the pod or the container, never Unconfined.",
  why: "Without seccomp every syscall reaches the kernel, the widest escape surface a container has.",
  fix: "Set `securityContext.seccompProfile: { type: RuntimeDefault }` on the pod.",
  check(resource) {
    const containers = kubeContainers(resource);
    const problems = containers.flatMap(({ where, container, pod }) => {
      const type = container?.securityContext?.seccompProfile?.type ?? pod?.securityContext?.seccompProfile?.type;
      return type === "RuntimeDefault" || type === "Localhost" ? [] : [`${where} has seccomp profile ${type ?? "unset"}`];
    });
    return verdictOf(containers.length > 0, problems);
  },
};
