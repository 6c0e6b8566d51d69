import { asArray, kubeContainers } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

/** The one capability Pod Security `restricted` allows adding back. */
const ALLOWED_ADD = ["NET_BIND_SERVICE"];

export const k8sContainerDropCapabilities: ResourceRule = {
  id: "k8s-container-drop-capabilities",
  scope: "resource",
  layer: "microservices",
  stacks: ["portable"],
  what: "Every container drops ALL Linux capabilities and adds back at most NET_BIND_SERVICE.",
  why: "Default capabilities (NET_RAW, CHOWN, SETUID, ...) are not needed by the services and widen what a compromised process can do.",
  fix: "Set `securityContext.capabilities: { drop: [\"ALL\"] }`.",
  check(resource) {
    const containers = kubeContainers(resource);
    const problems = containers.flatMap(({ where, container }) => {
      const caps = container?.securityContext?.capabilities ?? {};
      const drop = asArray(caps.drop).map(String);
      const add = asArray(caps.add).map(String).filter((c) => !ALLOWED_ADD.includes(c));
      return [...(drop.includes("ALL") ? [] : [`${where} does not drop ALL capabilities`]), ...(add.length ? [`${where} adds ${add.join(", ")}`] : [])];
    });
    return verdictOf(containers.length > 0, problems);
  },
};
