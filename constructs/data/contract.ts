import type { CacheManifest, ReadStoreManifest, WriteStoreManifest } from "@hexproperty/runtime/manifest";
import type { Identity } from "../core/identity";
import type { SecretSource } from "../microservices/contract";

/** Layer 5, data infrastructure: write store, read store, cache, and access to them. */
export interface DataContract {
  readonly writeStore: WriteStoreManifest;
  readonly readStore: ReadStoreManifest;
  readonly cache: CacheManifest;
  /**
   * The write store `workload` owns, where each owner has its own (gcp: one
   * Firestore database per owner); undefined for a workload that owns none.
   * @default - `writeStore` for every workload
   */
  writeStoreOf?(workload: string): WriteStoreManifest | undefined;
  /** Secret reference name (as in the manifest) -> its secret and version resources. @default - references need no mounting */
  readonly secretSources?: ReadonlyMap<string, SecretSource>;
  /** Lets `identity` load and save aggregates and their outbox. */
  grantWrite(identity: Identity): void;
  /** Lets `identity` query the read model. */
  grantRead(identity: Identity): void;
  /** Lets `identity` write projections into the read model. */
  grantProject(identity: Identity): void;
  /** Lets `identity` use the cache (and read its credentials). */
  grantCache(identity: Identity): void;
}
