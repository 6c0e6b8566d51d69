import { kubeName, kubeObject } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const k8sNoSecretInState: ResourceRule = {
  id: "k8s-no-secret-in-state",
  scope: "resource",
  layer: "data",
  stacks: ["portable"],
  what: "No Kubernetes Secret with `data` or `stringData` is created by Terraform.",
  why: "Terraform keeps every argument in its state in plaintext: a Secret it creates is readable by everyone who can read the state.",
  fix: "Let the operator generate the Secret (CloudNativePG, Strimzi) or make it an input created out of band (docs/architecture.md \"Inputs\") and reference it.",
  check(resource) {
    const object = kubeObject(resource, "Secret");
    const keys = object ? Object.keys({ ...(object.data ?? {}), ...(object.stringData ?? {}) }) : [];
    return verdictOf(object !== undefined, keys.length ? [`${kubeName(object)} carries ${keys.join(", ")} in Terraform state`] : []);
  },
};
