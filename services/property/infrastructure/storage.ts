/**
 * The property service's infrastructure: its aggregates live in the runtime's
 * WriteStore (state and events in one transaction, the outbox), and a relay
 * publishes the outbox to the event bus.
 */
import { aggregateStorage } from "../../platform/runtime";
import { startRelay } from "../../platform/relay";

type Store = Parameters<typeof startRelay>[0];

/** Storage for the use cases and the relay of one write store. */
export function propertyInfrastructure(store: Store, rt: Parameters<typeof startRelay>[1], logger: Parameters<typeof startRelay>[2]): { storage: ReturnType<typeof aggregateStorage>; relay: ReturnType<typeof startRelay> } {
  return { storage: aggregateStorage(store), relay: startRelay(store, rt, logger) };
}
