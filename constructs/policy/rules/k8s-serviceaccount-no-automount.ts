import { kubeName, kubeObject } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const k8sServiceAccountNoAutomount: ResourceRule = {
  id: "k8s-serviceaccount-no-automount",
  scope: "resource",
  layer: "core",
  stacks: ["portable"],
  what: "Every ServiceAccount sets `automountServiceAccountToken: false`.",
  why: "The services never call the Kubernetes API; an automounted token is a credential an attacker can use against it.",
  fix: "Set `automountServiceAccountToken: false` on the ServiceAccount (kubernetesServiceAccounts in constructs/core/accounts.ts does).",
  check(resource) {
    const object = kubeObject(resource, "ServiceAccount");
    return verdictOf(object !== undefined, object?.automountServiceAccountToken === false ? [] : [`${kubeName(object)} automounts its API token`]);
  },
};
