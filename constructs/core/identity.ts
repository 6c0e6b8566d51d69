/**
 * Who a workload runs as. Layers grant access to identities through methods
 * that say which roles they add (`events.grantPublish(stream, identity)`),
 * never by bindings scattered through a stack.
 */
export type Identity =
  | { readonly kind: "gcp-service-account"; readonly name: string; readonly email: string }
  | { readonly kind: "kubernetes-service-account"; readonly name: string; readonly namespace: string };

/** IAM member string of a Google service account identity. */
export function iamMember(identity: Identity): string {
  if (identity.kind !== "gcp-service-account") throw wrongIdentityKind(identity, "gcp-service-account");
  return `serviceAccount:${identity.email}`;
}

/** Kubernetes service account name of a portable identity. */
export function kubernetesAccount(identity: Identity): { name: string; namespace: string } {
  if (identity.kind !== "kubernetes-service-account") throw wrongIdentityKind(identity, "kubernetes-service-account");
  return { name: identity.name, namespace: identity.namespace };
}

/** Printable form for outputs and the manifest. */
export function describeIdentity(identity: Identity): string {
  return identity.kind === "gcp-service-account" ? identity.email : `system:serviceaccount:${identity.namespace}:${identity.name}`;
}

function wrongIdentityKind(identity: Identity, expected: Identity["kind"]): Error {
  return new Error(`identity "${identity.name}" is a ${identity.kind}; this grant needs a ${expected} (was a portable identity passed to a gcp layer, or the reverse?)`);
}
