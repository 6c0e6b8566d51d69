import { createRedisCache } from "../src/adapters/redis";
import { localManifest } from "./backends";
import { describeCacheConformance } from "./conformance/cache";
import { uniqueRunId } from "./conformance/util";

const manifest = localManifest("portable-local");
if (manifest.cache.kind !== "redis") throw new Error("portable-local manifest: cache.kind is not redis");
const cache = manifest.cache;

describeCacheConformance("redis", () => createRedisCache(cache, { namespace: `conf-${uniqueRunId()}` }));
describeCacheConformance("redis with distributed lock", () => createRedisCache(cache, { namespace: `conf-${uniqueRunId()}`, distributedLock: true }));
