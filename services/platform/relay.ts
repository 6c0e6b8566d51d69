/** A service's outbox relay: started with the service, woken after each command so events leave at once. */
import { OutboxRelay, type Logger, type Runtime, type WriteStore } from "@hexproperty/runtime";

export function startRelay(store: WriteStore, rt: Runtime, logger: Logger): OutboxRelay {
  const relay = new OutboxRelay(store, rt.bus, { logger, intervalMs: 100, batchSize: 200 });
  relay.start();
  return relay;
}
