import { podSpec } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const k8sPodNoHostNamespaces: ResourceRule = {
  id: "k8s-pod-no-host-namespaces",
  scope: "resource",
  layer: "microservices",
  stacks: ["portable"],
  what: "No pod shares the node's network, PID or IPC namespace, or mounts a hostPath volume.",
  why: "Host namespaces and hostPath give a pod the node's view: its traffic, its processes, its files.",
  fix: "Remove `hostNetwork`, `hostPID`, `hostIPC` and hostPath volumes; use a Service, and a PersistentVolumeClaim or emptyDir.",
  check(resource) {
    const pod = podSpec(resource);
    const problems = pod ? [
      ...["hostNetwork", "hostPID", "hostIPC"].filter((k) => pod[k] === true).map((k) => `${k} is true`),
      ...(Array.isArray(pod.volumes) ? pod.volumes : []).filter((v: any) => v?.hostPath).map((v: any) => `volume "${v.name}" is a hostPath`),
    ] : [];
    return verdictOf(pod !== undefined, problems);
  },
};
