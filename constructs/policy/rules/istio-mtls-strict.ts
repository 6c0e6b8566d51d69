import { kubeName, kubeObject } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const istioMtlsStrict: ResourceRule = {
  id: "istio-mtls-strict",
  scope: "resource",
  layer: "mesh",
  stacks: ["portable"],
  what: "Every Istio PeerAuthentication sets mTLS mode STRICT, also per port (no PERMISSIVE, DISABLE or UNSET).",
  why: "PERMISSIVE accepts plaintext: any pod (or a compromised node) can call a service without a workload identity.",
  fix: "Set `spec.mtls.mode: STRICT` and remove per-port exceptions.",
  check(resource) {
    const object = kubeObject(resource, "PeerAuthentication");
    const problems: string[] = [];
    if (object) {
      const mode = object.spec?.mtls?.mode;
      if (mode !== "STRICT") problems.push(`${kubeName(object)} has mtls.mode ${mode ?? "unset (inherits, PERMISSIVE by default)"}`);
      for (const [port, setting] of Object.entries((object.spec?.portLevelMtls ?? {}) as Record<string, { mode?: string }>)) {
        if (setting?.mode !== "STRICT") problems.push(`${kubeName(object)} port ${port} has mtls.mode ${setting?.mode ?? "unset"}`);
      }
    }
    return verdictOf(object !== undefined, problems);
  },
};
