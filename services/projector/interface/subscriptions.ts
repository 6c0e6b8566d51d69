/**
 * The projector's inbound side: one subscription per stream it consumes (the
 * manifest names them "projector-<stream>"), each delivery deduplicated by
 * event id, handled in the trace of its producer, acked on success; a thrown
 * error nacks, so the bus redelivers (and dead-letters after its maximum).
 */
import { dedupeHandler, EventDeduplicator, type Logger, type Runtime, type SubscriptionHandle } from "@hexproperty/runtime";
import type { Json } from "../../kernel/domain/events";
import type { Projector } from "../application/project";

export const PROJECTOR_SUBSCRIPTIONS = ["projector-property", "projector-leasing"] as const;

export async function subscribeProjector(rt: Runtime, projector: Projector, logger: Logger): Promise<SubscriptionHandle[]> {
  const dedupe = new EventDeduplicator();
  const handles: SubscriptionHandle[] = [];
  for (const name of PROJECTOR_SUBSCRIPTIONS) {
    if (!rt.manifest.eventBus.subscriptions[name]) throw new Error(`projector: the manifest has no subscription "${name}" (eventBus.subscriptions); add it to the environment's catalog`);
    handles.push(
      await rt.bus.subscribe(
        name,
        dedupeHandler(async (d) => {
          const m = d.message;
          try {
            const result = await rt.telemetry.withExtracted(m.attributes, `project ${m.type}`, () => projector.handle({ id: m.id, type: m.type, data: m.data as Json }));
            rt.telemetry.counter("projector_events", 1, { type: m.type, result });
          } catch (e) {
            logger.warn("projection failed; the event will be redelivered", { eventId: m.id, type: m.type, attempt: d.attempt, error: e instanceof Error ? e.message : String(e) });
            throw e;
          }
        }, dedupe),
      ),
    );
  }
  return handles;
}
