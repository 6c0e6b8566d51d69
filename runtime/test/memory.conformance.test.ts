import { createMemoryCache, createMemoryEventBus } from "../src/adapters/memory";
import { describeCacheConformance } from "./conformance/cache";
import { describeEventBusConformance } from "./conformance/eventbus";

describeEventBusConformance("memory", async (topology) => createMemoryEventBus({ kind: "memory", ...topology }, { drainTimeoutMs: 1000 }));
describeCacheConformance("memory", async () => createMemoryCache({ kind: "memory", maxEntries: 1000 }));
