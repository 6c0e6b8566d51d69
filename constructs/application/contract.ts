import type { Identity } from "../core/identity";
import type { RunsWorkloads } from "../microservices/contract";

/** Layer 3, application: the event processors and who they run as. */
export interface ApplicationContract extends RunsWorkloads {
  readonly identities: Readonly<Record<string, Identity>>;
}
