import { K8S_LABEL_KEY_RULE, K8S_LABEL_VALUE_RULE, isK8sLabelValue, isK8sQualifiedName } from "../../../environments/labels";
import { isReference, kubeObject, walk } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const k8sLabelsValid: ResourceRule = {
  id: "k8s-labels-valid",
  scope: "resource",
  layer: "any",
  stacks: ["portable"],
  what: "Every label, selector label and annotation key of a Kubernetes object (also in pod templates) is one the API server accepts.",
  why: "An invalid label passes `terraform validate` and fails server-side apply mid-deploy.",
  fix: "Use keys and values that satisfy environments/labels.ts (qualified names; values of at most 63 characters of [A-Za-z0-9-_.]).",
  check(resource) {
    const object = kubeObject(resource);
    const problems: string[] = [];
    if (object) {
      walk(object, (path, key, value) => {
        if (!value || typeof value !== "object" || Array.isArray(value)) return;
        const isLabels = key === "labels" || key === "matchLabels";
        if (!isLabels && key !== "annotations") return;
        for (const [k, raw] of Object.entries(value as Record<string, unknown>)) {
          const v = String(raw);
          if (isReference(k) || isReference(v)) continue;
          if (!isK8sQualifiedName(k)) problems.push(`${path}: key "${k}" is not ${K8S_LABEL_KEY_RULE}`);
          if (isLabels && !isK8sLabelValue(v)) problems.push(`${path}.${k}: value "${v}" is not ${K8S_LABEL_VALUE_RULE}`);
        }
      });
    }
    return verdictOf(object !== undefined, problems);
  },
};
