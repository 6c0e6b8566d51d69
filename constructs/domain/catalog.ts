import type { RuntimePort } from "@hexproperty/runtime/manifest";
import type { DomainContract } from "./contract";

/** The HexProperty domain: properties and units, leases, and their read model. */
export const DOMAIN: DomainContract = {
  microservices: ["property", "leasing", "search"],
  processors: ["projector"],
  streams: [
    {
      name: "property",
      eventTypes: ["property.PropertyRegistered", "property.UnitAdded", "property.UnitListed", "property.RentChanged"],
      publishers: ["property"],
      consumers: { "projector-property": "projector" },
    },
    {
      name: "leasing",
      eventTypes: ["leasing.ApplicationSubmitted", "leasing.ApplicationApproved", "leasing.LeaseSigned", "leasing.LeaseTerminated"],
      publishers: ["leasing"],
      consumers: { "projector-leasing": "projector" },
    },
  ],
  // Exactly what each service's code uses (its module's `uses` in services/<name>/index.ts, plus "write" when it opens its own
  // write store); test/services/readiness.test.ts holds the two to each other in both directions.
  dataAccess: {
    property: ["write"],
    // Leasing looks units up in the read model before an application or a lease (services/leasing/infrastructure/unit-directory.ts).
    leasing: ["write", "read"],
    search: ["read", "cache"],
    // The projector keeps its projection state in a write store of its own and invalidates search cache entries.
    projector: ["write", "project", "cache"],
  },
};

/** A runtime backend, named as the runtime's ports are (`connect` option `ports`, `Runtime.bus` ...). */
export type Backend = RuntimePort;

/**
 * The backends the catalog grants `workload`, which the stacks grant it and
 * mount the secrets of, and nothing else: the bus when it publishes or
 * consumes a stream, its own write store ("write"), the read model ("read"
 * or "project"), the cache ("cache").
 */
export function backendsOf(domain: DomainContract, workload: string): Backend[] {
  const uses = domain.dataAccess[workload] ?? [];
  const onBus = domain.streams.some((s) => s.publishers.includes(workload) || Object.values(s.consumers).includes(workload));
  const granted: Record<Backend, boolean> = { bus: onBus, writeStore: uses.includes("write"), readStore: uses.includes("read") || uses.includes("project"), cache: uses.includes("cache") };
  return (Object.keys(granted) as Backend[]).filter((b) => granted[b]);
}
