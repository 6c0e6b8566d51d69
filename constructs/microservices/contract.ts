import type { RuntimeManifest } from "@hexproperty/runtime/manifest";
import type { Identity } from "../core/identity";

/** Where a secret reference of the manifest comes from: the secret and version resources (Terraform references). */
export interface SecretSource {
  readonly secret: string;
  readonly version: string;
}

/** Workloads that are started once the stack knows what to hand each of them. */
export interface RunsWorkloads {
  /**
   * Runs each workload with the runtime manifest it is handed (the stack
   * calls it once, after every layer has answered); `secrets` maps each
   * secret reference name of the manifests to its source, for mounting.
   * @default - the implementation runs nothing yet
   */
  run?(manifests: Readonly<Record<string, RuntimeManifest>>, secrets?: ReadonlyMap<string, SecretSource>): void;
}

/** Layer 2, microservices: one identity and one endpoint per request/response service. */
export interface MicroservicesContract extends RunsWorkloads {
  readonly identities: Readonly<Record<string, Identity>>;
  /** Base URL of each service inside the platform. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** Lets `identity` call `service` (gcp: roles/run.invoker on that service alone). Call after `run`. @default - no per-caller access control */
  grantInvoke?(service: string, identity: Identity): void;
}
