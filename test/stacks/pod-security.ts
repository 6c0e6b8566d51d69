/**
 * What Istio 1.27's sidecar injector adds to a pod, and the Pod Security
 * `restricted` checks (kubernetes.io/docs/concepts/security/pod-security-standards),
 * for the construct tests. The securityContexts are those of
 * manifests/charts/istio-control/istio-discovery/files/injection-template.yaml
 * at 1.27.1 with global.proxy.privileged=false and, with the CNI node agent,
 * pilot.cni.enabled=true (istio-validation instead of istio-init) and native
 * sidecars (istio-proxy as an init container with restartPolicy Always).
 */
const PROXY_SECURITY = { allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1337, runAsGroup: 1337 };
const INIT_WITHOUT_CNI = { allowPrivilegeEscalation: false, privileged: false, capabilities: { add: ["NET_ADMIN", "NET_RAW"], drop: ["ALL"] }, readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 };
const PROXY_IMAGE = "docker.io/istio/proxyv2:1.27.1";
const SIDECAR_RESOURCES = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "2000m", memory: "1024Mi" } };

export function injectIstioSidecar(pod: any, options: { cni?: boolean } = {}): any {
  const cni = options.cni ?? true;
  const init = cni
    ? { name: "istio-validation", image: PROXY_IMAGE, args: ["istio-iptables", "--run-validation", "--skip-rule-apply"], resources: SIDECAR_RESOURCES, securityContext: PROXY_SECURITY }
    : { name: "istio-init", image: PROXY_IMAGE, args: ["istio-iptables"], resources: SIDECAR_RESOURCES, securityContext: INIT_WITHOUT_CNI };
  const proxy = { name: "istio-proxy", image: PROXY_IMAGE, args: ["proxy", "sidecar"], restartPolicy: "Always", ports: [{ containerPort: 15090, name: "http-envoy-prom", protocol: "TCP" }], resources: SIDECAR_RESOURCES, securityContext: PROXY_SECURITY };
  return {
    ...pod,
    initContainers: [...(pod.initContainers ?? []), init, proxy],
    volumes: [
      ...(pod.volumes ?? []),
      { name: "workload-socket", emptyDir: {} }, { name: "credential-socket", emptyDir: {} }, { name: "workload-certs", emptyDir: {} },
      { name: "istio-envoy", emptyDir: { medium: "Memory" } }, { name: "istio-data", emptyDir: {} },
      { name: "istio-podinfo", downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } },
      { name: "istio-token", projected: { sources: [{ serviceAccountToken: { audience: "istio-ca", expirationSeconds: 43200, path: "istio-token" } }] } },
      { name: "istiod-ca-cert", configMap: { name: "istio-ca-root-cert" } },
    ],
  };
}

const ALLOWED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

/** The `restricted` (and `baseline`) checks a pod spec fails, one line each; empty when it passes. */
export function restrictedViolations(pod: any): string[] {
  const out: string[] = [];
  const psc = pod.securityContext ?? {};
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) out.push("pod: host namespaces");
  for (const v of pod.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (!type || !ALLOWED_VOLUMES.includes(type)) out.push(`volume ${v.name}: type ${type} not allowed`);
  }
  if (psc.runAsUser === 0) out.push("pod: runAsUser 0");
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (sc.privileged) out.push(`${where}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${where}: allowPrivilegeEscalation != false`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) out.push(`${where}: capabilities not dropping ALL`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== "NET_BIND_SERVICE") out.push(`${where}: adds capability ${cap}`);
    const nonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
    if (nonRoot !== true) out.push(`${where}: runAsNonRoot != true`);
    if ((sc.runAsUser ?? psc.runAsUser) === 0) out.push(`${where}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") out.push(`${where}: seccomp ${seccomp}`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${where}: hostPort`);
  }
  return out;
}
