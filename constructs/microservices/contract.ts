import type { Identity } from "../core/identity";

/** Layer 2, microservices: one identity and one endpoint per request/response service. */
export interface MicroservicesContract {
  readonly identities: Readonly<Record<string, Identity>>;
  /** Base URL of each service inside the platform. */
  readonly endpoints: Readonly<Record<string, string>>;
}
