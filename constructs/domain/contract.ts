/**
 * Layer 1, domain: pure TypeScript with no infrastructure import. Its
 * contract is the catalog of event streams the aggregates publish and who
 * consumes them; every other layer is derived from it. Same on both stacks.
 */
export interface StreamDefinition {
  /** Stream name used in the manifest and in topic names. */
  readonly name: string;
  /** Event types the stream carries. */
  readonly eventTypes: readonly string[];
  /** Workloads that publish to it (through their outbox relay). */
  readonly publishers: readonly string[];
  /** Consumers: subscription name -> consuming workload. */
  readonly consumers: Readonly<Record<string, string>>;
}

export interface DomainContract {
  /** Request/response microservices (layer 2). */
  readonly microservices: readonly string[];
  /** Event processors (layer 3). */
  readonly processors: readonly string[];
  readonly streams: readonly StreamDefinition[];
  /** What each workload does with the data stores; the data layer's grants follow from it. */
  readonly dataAccess: Readonly<Record<string, readonly DataUse[]>>;
}

/** write: aggregates + outbox; read: query the read model; project: write projections; cache: use the cache. */
export type DataUse = "write" | "read" | "project" | "cache";
