/** Layer 7, interface: the edge, and how callers authenticate; the `auth` section of the runtime manifest. */
export interface InterfaceContract {
  readonly auth: { readonly issuer: string; readonly audience: string; readonly jwksUri: string };
}
