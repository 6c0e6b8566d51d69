/**
 * Resolves a SecretRef to its value at connect time. Kubernetes Secrets and
 * env references arrive as environment variables (secretKeyRef); Secret
 * Manager versions are mounted by Cloud Run as env vars too, so a
 * "secret-manager" reference is read from HEXPROPERTY_SECRET_<NAME> when set.
 */
import { secretUnavailable } from "./errors";
import type { SecretRef } from "./manifest/schema";

export function resolveSecret(ref: SecretRef, what: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  switch (ref.kind) {
    case "env":
    case "kubernetes-secret": {
      const v = env[ref.env];
      if (v === undefined) throw secretUnavailable(what, `environment variable ${ref.env} is not set`);
      return v;
    }
    case "secret-manager": {
      const secret = ref.name.split("/")[3] ?? "";
      const variable = `HEXPROPERTY_SECRET_${secret.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
      const v = env[variable];
      if (v === undefined) throw secretUnavailable(what, `${ref.name} is not mounted; set ${variable} (Cloud Run: secret as environment variable)`);
      return v;
    }
  }
}
