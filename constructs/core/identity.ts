/**
 * Who a workload runs as. Layers grant access to identities through methods
 * that say which roles they add (`events.grantPublish(stream, identity)`),
 * never by bindings scattered through a stack.
 */
import { wrongIdentityKind } from "../errors";

export type Identity =
  | { readonly kind: "gcp-service-account"; readonly name: string; readonly email: string }
  | { readonly kind: "kubernetes-service-account"; readonly name: string; readonly namespace: string };

/** IAM member string of a Google service account identity. */
export function iamMember(identity: Identity): string {
  if (identity.kind !== "gcp-service-account") throw wrongIdentityKind(identity.name, identity.kind, "gcp-service-account");
  return `serviceAccount:${identity.email}`;
}

/** Kubernetes service account name of a portable identity. */
export function kubernetesAccount(identity: Identity): { name: string; namespace: string } {
  if (identity.kind !== "kubernetes-service-account") throw wrongIdentityKind(identity.name, identity.kind, "kubernetes-service-account");
  return { name: identity.name, namespace: identity.namespace };
}

/** Printable form for outputs and the manifest. */
export function describeIdentity(identity: Identity): string {
  return identity.kind === "gcp-service-account" ? identity.email : `system:serviceaccount:${identity.namespace}:${identity.name}`;
}

/** Grants that must happen once per key: granting the same thing twice is a no-op in every layer. */
export class GrantLedger {
  private readonly done = new Set<string>();

  /** Runs `create` the first time `key` is seen. */
  once(key: string, create: () => void): void {
    if (this.done.has(key)) return;
    this.done.add(key);
    create();
  }
}
