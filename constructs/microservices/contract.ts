import { PORT_SECTION, RUNTIME_PORTS, type RuntimeManifest } from "@hexproperty/runtime/manifest";
import type { Identity } from "../core/identity";
import type { Backend } from "../domain/catalog";

/** Where a secret reference of the manifest comes from: the secret and version resources (Terraform references). */
export interface SecretSource {
  readonly secret: string;
  readonly version: string;
}

/** The backends each workload uses (the domain catalog's grants, `backendsOf`). */
export type WorkloadBackends = Readonly<Record<string, readonly Backend[]>>;

/**
 * The sections of `manifest` whose secret references a workload using
 * `backends` is handed: every section except those of the backends it does
 * not use (which the runtime never opens: connect option `ports`).
 * @param backends @default - every backend
 */
export function usedSections(manifest: RuntimeManifest, backends?: readonly Backend[]): Array<[string, unknown]> {
  const unused = new Set<string>(backends ? RUNTIME_PORTS.filter((b) => !backends.includes(b)).map((b) => PORT_SECTION[b]) : []);
  return Object.entries(manifest).filter(([section]) => !unused.has(section));
}

/** Workloads that are started once the stack knows what to hand each of them. */
export interface RunsWorkloads {
  /**
   * Runs each workload with the runtime manifest it is handed (the stack
   * calls it once, after every layer has answered); `secrets` maps each
   * secret reference name of the manifests to its source, for mounting;
   * `backends` is what each workload uses: it is handed the secret
   * references of those backends' sections and of no other backend.
   * @default - the implementation runs nothing yet
   */
  run?(manifests: Readonly<Record<string, RuntimeManifest>>, secrets?: ReadonlyMap<string, SecretSource>, backends?: WorkloadBackends): void;
}

/** Layer 2, microservices: one identity and one endpoint per request/response service. */
export interface MicroservicesContract extends RunsWorkloads {
  readonly identities: Readonly<Record<string, Identity>>;
  /** Base URL of each service inside the platform. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** Lets `identity` call `service` (gcp: roles/run.invoker on that service alone). Call after `run`. @default - no per-caller access control */
  grantInvoke?(service: string, identity: Identity): void;
}
