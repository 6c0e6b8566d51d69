import type { Identity } from "../core/identity";

/** Layer 7, interface: the edge, and how callers authenticate; the `auth` section of the runtime manifest. */
export interface InterfaceContract {
  readonly auth: { readonly issuer: string; readonly audience: string; readonly jwksUri: string };
  /** Who the edge calls the services as (gcp: the API Gateway's service account). @default - the edge has no identity of its own */
  readonly identity?: Identity;
  /** Public host name of the edge (gcp: the gateway's default host name). @default - not known to the stack */
  readonly publicHost?: string;
}
