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
  dataAccess: {
    property: ["write", "cache"],
    // Leasing looks units up in the read model before an application or a lease (services/leasing/infrastructure/unit-directory.ts).
    leasing: ["write", "read", "cache"],
    search: ["read", "cache"],
    // The projector keeps its projection state in a write store of its own and invalidates search cache entries.
    projector: ["write", "project", "cache"],
  },
};
