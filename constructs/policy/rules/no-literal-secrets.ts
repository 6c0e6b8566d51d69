import { helmValues, isReference, walk } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

/** Names whose value is a credential (after lower-casing and dropping separators). */
const SECRET_NAME = /(password|passwd|passphrase|secret|token|apikey|privatekey|secretkey|accesskey|clientsecret|authstring|credentials?)$/;
/** Names that point at a secret rather than hold one. */
const REFERENCE_NAME = /(k8ssecret|secretref|secretkeyref|existingsecret|secretname|secretid|secretfile|passwordfile|tokenfile|tokenpath|passwordenv|tokenenv)/;

export function isSecretName(name: string): boolean {
  const flat = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return SECRET_NAME.test(flat) && !REFERENCE_NAME.test(flat);
}

const isLiteral = (value: unknown): value is string => typeof value === "string" && value !== "" && !isReference(value);

/** Every place under `value` where a secret-named key, or a `{ name, value }` pair (env var, Helm `set`), holds a literal string. */
export function literalSecrets(value: unknown, prefix: string): string[] {
  const found: string[] = [];
  walk(value, (path, key, child, parent) => {
    if (key === "value" && parent && typeof parent.name === "string" && isSecretName(parent.name) && isLiteral(child)) found.push(`${prefix}${path.replace(/\.value$/, "")} (${parent.name}) is a literal`);
    else if (key !== "value" && isSecretName(key) && isLiteral(child)) found.push(`${prefix}${path} is a literal`);
  });
  return found;
}

export const noLiteralSecrets: ResourceRule = {
  id: "no-literal-secrets",
  scope: "resource",
  layer: "any",
  stacks: ["gcp", "portable"],
  what: "No argument, output, environment variable or Helm value named like a credential (password, secret, token, api key, private key, ...) holds a literal string; it must be a reference.",
  why: "A literal credential sits in the repository, in cdktf.out, in every plan printed in CI and in Terraform state.",
  fix: "Reference the secret instead: Secret Manager (`secret_key_ref` / a `secret-manager` manifest reference), a Kubernetes Secret (`valueFrom.secretKeyRef`), or an input the platform team creates.",
  check(resource) {
    const problems = [
      ...literalSecrets(resource.config, ""),
      ...helmValues(resource).flatMap((doc, i) => literalSecrets(doc, `values[${i}].`)),
    ];
    return verdictOf(true, problems);
  },
};
