import { createKafkaEventBus } from "../src/adapters/kafka";
import { localManifest } from "./backends";
import { describeEventBusConformance } from "./conformance/eventbus";

const manifest = localManifest("portable-local");
if (manifest.eventBus.kind !== "kafka") throw new Error("portable-local manifest: eventBus.kind is not kafka");
const base = manifest.eventBus;

describeEventBusConformance("kafka", async (topology) => createKafkaEventBus({ ...base, ...topology }, { sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, drainTimeoutMs: 2000 }));
