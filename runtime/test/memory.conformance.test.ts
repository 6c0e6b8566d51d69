import { createMemoryCache, createMemoryEventBus } from "../src/adapters/memory";
import { describeCacheConformance } from "./conformance/cache";
import { describeEventBusConformance } from "./conformance/eventbus";

describeEventBusConformance("memory", async (topology) => createMemoryEventBus({ kind: "memory", ...topology }));
describeCacheConformance("memory", async () => createMemoryCache({ kind: "memory", maxEntries: 1000 }));
