import Redis from "ioredis";
import { expectKind, loadLocalManifest, uniqueName } from "./support";

describe("local Redis", () => {
  const cache = expectKind(loadLocalManifest("portable-local").cache, "redis", "portable-local cache");
  const redis = new Redis({ host: cache.host, port: cache.port, keyPrefix: cache.keyPrefix, lazyConnect: true, maxRetriesPerRequest: 1 });

  beforeAll(() => redis.connect());
  afterAll(() => redis.quit());

  it("Given a key with the manifest's prefix, When SET then GET, Then the value comes back and expires", async () => {
    const key = uniqueName("smoke", ":");
    await redis.set(key, "hello", "EX", 30);
    expect(await redis.get(key)).toBe("hello");
    expect(await redis.ttl(key)).toBeGreaterThan(0);
    await redis.del(key);
  });
});
