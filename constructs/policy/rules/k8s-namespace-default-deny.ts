import { asArray, kubeObject } from "../inspect";
import { COMPLIANT, nonCompliant, type PolicyResource, type StackRule } from "../rule";

/** Is this NetworkPolicy a default deny of ingress for its whole namespace (empty pod selector, Ingress, no ingress rules)? */
export function isDefaultDeny(object: any): boolean {
  const spec = object?.spec ?? {};
  const selectsAll = !spec.podSelector || (Object.keys(spec.podSelector.matchLabels ?? {}).length === 0 && asArray(spec.podSelector.matchExpressions).length === 0);
  return selectsAll && asArray(spec.policyTypes).includes("Ingress") && asArray(spec.ingress).length === 0;
}

export const k8sNamespaceDefaultDeny: StackRule = {
  id: "k8s-namespace-default-deny",
  scope: "stack",
  layer: "core",
  stacks: ["portable"],
  what: "Every Namespace a stack creates has, in the same stack, a NetworkPolicy that denies all ingress by default (empty podSelector, policyTypes Ingress, no rules).",
  why: "Kubernetes allows all traffic until a policy selects a pod; without a namespace-wide default deny every new pod is reachable from anywhere in the cluster.",
  fix: "Create a `default-deny` NetworkPolicy next to the Namespace (spec: { podSelector: {}, policyTypes: [\"Ingress\"] }) and allow each flow explicitly.",
  check(resources: readonly PolicyResource[]) {
    const denied = new Set(resources.map((r) => kubeObject(r, "NetworkPolicy")).filter((o) => o && isDefaultDeny(o)).map((o) => o.metadata?.namespace));
    return resources.filter((r) => kubeObject(r, "Namespace")).map((r) => {
      const name = r.config.manifest.metadata?.name;
      return { resource: r, verdict: denied.has(name) ? COMPLIANT : nonCompliant(`namespace ${name} has no default-deny NetworkPolicy in this stack`) };
    });
  },
};
