import { cloudRunContainers, kubeContainers, one } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const containerResources: ResourceRule = {
  id: "container-resources",
  scope: "resource",
  layer: "microservices",
  stacks: ["portable", "gcp"],
  what: "Every container declares resources: Kubernetes containers CPU and memory requests and limits; Cloud Run containers CPU and memory limits.",
  why: "A container without limits can starve its neighbours (noisy neighbour, OOM of others); without requests the scheduler packs blindly and the HPA cannot scale on utilisation.",
  fix: "Set `resources.requests` and `resources.limits` (cpu, memory) from the environment's `services.<name>.cpu` / `memoryMiB`.",
  check(resource) {
    const kube = kubeContainers(resource);
    const run = cloudRunContainers(resource);
    const problems: string[] = [];
    for (const { where, container } of kube) {
      const missing = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"].filter((p) => {
        const [group, name] = p.split(".") as [string, string];
        return container?.resources?.[group]?.[name] === undefined;
      });
      if (missing.length) problems.push(`${where} has no ${missing.join(", ")}`);
    }
    for (const { where, container } of run) {
      const limits = one(container?.resources)?.limits ?? {};
      const missing = ["cpu", "memory"].filter((k) => limits[k] === undefined);
      if (missing.length) problems.push(`${where} has no limits.${missing.join(", limits.")}`);
    }
    return verdictOf(kube.length + run.length > 0, problems);
  },
};
