import type { Identity } from "../core/identity";

/** Layer 3, application: the event processors and who they run as. */
export interface ApplicationContract {
  readonly identities: Readonly<Record<string, Identity>>;
}
