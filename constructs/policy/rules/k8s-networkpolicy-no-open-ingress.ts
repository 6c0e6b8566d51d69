import { asArray, kubeName, kubeObject } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const k8sNetworkPolicyNoOpenIngress: ResourceRule = {
  id: "k8s-networkpolicy-no-open-ingress",
  scope: "resource",
  layer: "any",
  stacks: ["portable"],
  what: "No NetworkPolicy ingress rule allows every source (a rule without `from`, or a peer that selects all pods of all namespaces).",
  why: "An ingress rule without sources undoes the default deny for the pods it selects.",
  fix: "Name the peers: a podSelector on the granted workloads' `app.kubernetes.io/name`, or a namespaceSelector on one namespace.",
  check(resource) {
    const object = kubeObject(resource, "NetworkPolicy");
    const problems: string[] = [];
    asArray(object?.spec?.ingress).forEach((rule: any, i: number) => {
      const from = asArray(rule?.from);
      const isEmpty = (s: any) => s !== undefined && Object.keys(s?.matchLabels ?? {}).length === 0 && asArray(s?.matchExpressions).length === 0;
      if (from.length === 0) problems.push(`${kubeName(object)} ingress[${i}] has no "from" (allows every source)`);
      else if (from.some((p: any) => p?.ipBlock?.cidr === "0.0.0.0/0" || (isEmpty(p?.namespaceSelector) && (p?.podSelector === undefined || isEmpty(p?.podSelector))))) problems.push(`${kubeName(object)} ingress[${i}] admits every namespace or address`);
    });
    return verdictOf(object !== undefined, problems);
  },
};
