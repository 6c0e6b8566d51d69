/**
 * The label rules of the two clouds, in one place: the environment schema
 * rejects labels the platforms would refuse, and the stack tests check every
 * label and annotation the stacks emit against the same rules.
 */

/** Kubernetes: a qualified name's name part (label and annotation keys after the optional prefix). */
const K8S_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** Kubernetes: a DNS-1123 subdomain (the optional prefix of a key). */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What Kubernetes allows, worded for error messages. */
export const K8S_LABEL_KEY_RULE = "an optional DNS subdomain prefix and '/', then 1-63 characters of [A-Za-z0-9-_.] starting and ending with a letter or digit";
export const K8S_LABEL_VALUE_RULE = "at most 63 characters of [A-Za-z0-9-_.], starting and ending with a letter or digit (or empty)";
export const GCP_LABEL_KEY_RULE = "1-63 characters of lower-case letters, digits, '_' or '-', starting with a lower-case letter";
export const GCP_LABEL_VALUE_RULE = "at most 63 characters of lower-case letters, digits, '_' or '-'";

/** A Kubernetes label or annotation key (both are qualified names). */
export function isK8sQualifiedName(key: string): boolean {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && K8S_NAME.test(name);
}

export function isK8sLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && K8S_NAME.test(value));
}

export function isGcpLabelKey(key: string): boolean {
  return /^[a-z][a-z0-9_-]{0,62}$/.test(key);
}

export function isGcpLabelValue(value: string): boolean {
  return /^[a-z0-9_-]{0,63}$/.test(value);
}

/**
 * The labels of an environment go on GCP resources and on Kubernetes objects
 * alike, so each must satisfy both platforms.
 */
export const LABEL_KEY_RULE = "a label key that GCP and Kubernetes both accept: 1-63 lower-case letters, digits, '_' or '-', starting with a lower-case letter and ending with a letter or digit";
export const LABEL_VALUE_RULE = "a label value that GCP and Kubernetes both accept: empty, or at most 63 lower-case letters, digits, '_' or '-', starting and ending with a letter or digit";

export function isLabelKey(key: string): boolean {
  return isGcpLabelKey(key) && isK8sQualifiedName(key);
}

export function isLabelValue(value: string): boolean {
  return isGcpLabelValue(value) && isK8sLabelValue(value);
}
