/**
 * The property service's infrastructure: its aggregates live in the runtime's
 * WriteStore (state and events in one transaction, the outbox), and a relay
 * publishes the outbox to the event bus.
 */
import type { Logger, OutboxRelay, Runtime, WriteStore } from "@hexproperty/runtime";
import type { AggregateStorage } from "../../kernel/application/aggregates";
import { aggregateStorage } from "../../platform/runtime";
import { startRelay } from "../../platform/relay";

/** Storage for the use cases and the relay of one write store. */
export function propertyInfrastructure(store: WriteStore, rt: Runtime, logger: Logger): { storage: AggregateStorage; relay: OutboxRelay } {
  return { storage: aggregateStorage(store), relay: startRelay(store, rt, logger) };
}
