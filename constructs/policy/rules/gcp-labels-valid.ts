import { GCP_LABEL_KEY_RULE, GCP_LABEL_VALUE_RULE, isGcpLabelKey, isGcpLabelValue } from "../../../environments/labels";
import { isReference } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

const LABEL_ARGUMENTS = ["labels", "user_labels", "default_labels"];
/** Types whose `labels` argument is not resource labels (a notification channel's type parameters, e.g. email_address). */
const LABELS_ARE_PARAMETERS = new Set(["google_monitoring_notification_channel"]);

export const gcpLabelsValid: ResourceRule = {
  id: "gcp-labels-valid",
  scope: "resource",
  layer: "any",
  stacks: ["gcp"],
  what: "Every label of a Google resource (`labels`, `user_labels`, `default_labels`; not a notification channel's `labels`, which are its parameters) has a key and value Google Cloud accepts.",
  why: "An invalid label passes synthesis and `validate` but fails the API call mid-apply, leaving a half-applied stack.",
  fix: "Use labels that satisfy environments/labels.ts (the environment schema checks `labels`; a layer adding its own must too).",
  check(resource) {
    const maps = LABEL_ARGUMENTS.filter((a) => !(a === "labels" && LABELS_ARE_PARAMETERS.has(resource.type))).map((a) => resource.config[a]).filter((m) => m && typeof m === "object" && !Array.isArray(m)) as Array<Record<string, unknown>>;
    const problems: string[] = [];
    for (const map of maps) {
      for (const [key, raw] of Object.entries(map)) {
        const value = String(raw);
        if (isReference(key) || isReference(value)) continue;
        if (!isGcpLabelKey(key)) problems.push(`label key "${key}" is not ${GCP_LABEL_KEY_RULE}`);
        if (!isGcpLabelValue(value)) problems.push(`label ${key}="${value}" is not ${GCP_LABEL_VALUE_RULE}`);
      }
    }
    // The google providers' default_labels too (its `what` names them; they reach every resource).
    const google = resource.type.startsWith("google_") || (resource.type === "provider" && /^provider\.google(-beta)?(\.|$)/.test(resource.address));
    return verdictOf(google && maps.length > 0, problems);
  },
};
