/**
 * connect's `ports` option against the real local backends (portable-local:
 * Kafka, PostgreSQL, ClickHouse): a service opens and pings only the ports it
 * uses. On a least-privilege deployment it holds no grant and no mounted
 * secret for the others, so opening them would keep it from starting.
 * Needs `bash scripts/backends.sh up`.
 */
import { connect } from "../src/connect";
import type { RuntimeManifest } from "../src/manifest/schema";
import { localManifest } from "./backends";

const quiet = { telemetry: { sink: () => undefined } };
/** A cache nothing listens on (as one the service may not reach). */
const closedCache: RuntimeManifest["cache"] = { kind: "redis", host: "127.0.0.1", port: 1, tls: false, keyPrefix: "ports-test:" };

describe("connect ports", () => {
  const manifest = (over: Partial<RuntimeManifest> = {}): RuntimeManifest => ({ ...localManifest("portable-local"), cache: closedCache, ...over });

  test("given a cache that does not answer, when connected with ports without the cache, then it starts and the ports it opened work", async () => {
    const rt = await connect(manifest(), { ...quiet, ports: ["bus", "writeStore", "readStore"] });
    try {
      await expect(rt.bus.ping()).resolves.toBeUndefined();
      await expect(rt.writeStore.ping()).resolves.toBeUndefined();
      await expect(rt.readStore.ping()).resolves.toBeUndefined();
    } finally {
      await rt.close();
    }
  });

  test("given the cache is not among the ports, when the service uses it, then one line says it is not connected and why", async () => {
    const rt = await connect(manifest(), { ...quiet, ports: ["bus", "writeStore", "readStore"] });
    try {
      const expected = /^cache is not connected: this service declared it does not use it \(connect option ports: bus, writeStore, readStore\)/;
      expect(() => rt.cache.get("k")).toThrow(expected);
      expect(() => rt.cache.ping()).toThrow(expected);
      const error = (() => {
        try {
          void rt.cache.set("k", "v", 1);
        } catch (e) {
          return e as Error & { code?: string };
        }
        return undefined;
      })();
      expect(error?.code).toBe("HEXPROPERTY_PORT_NOT_CONNECTED");
      expect(error?.message).not.toContain("\n");
    } finally {
      await rt.close();
    }
  });

  test("given only the bus and the write store (the property service), when the read store and the cache do not answer, then it starts; using the read store names it", async () => {
    const readStoreNowhere: RuntimeManifest["readStore"] = { ...(localManifest("portable-local").readStore as Extract<RuntimeManifest["readStore"], { kind: "clickhouse" }>), url: "http://127.0.0.1:1" };
    const rt = await connect(manifest({ readStore: readStoreNowhere }), { ...quiet, ports: ["bus", "writeStore"] });
    try {
      expect(() => rt.readStore.ping()).toThrow(/^read store is not connected: this service declared it does not use it \(connect option ports: bus, writeStore\)/);
    } finally {
      await rt.close();
    }
  });

  test("given a cache whose AUTH secret is not mounted (no secretAccessor), when connected without the cache, then it starts; with it, connect names the secret", async () => {
    const guarded: RuntimeManifest["cache"] = { ...closedCache, auth: { kind: "secret-manager", name: "projects/p/secrets/ports-test-cache-auth/versions/1" } } as RuntimeManifest["cache"];
    delete process.env.HEXPROPERTY_SECRET_PORTS_TEST_CACHE_AUTH;
    const rt = await connect(manifest({ cache: guarded }), { ...quiet, ports: ["bus", "writeStore", "readStore"] });
    await rt.close();
    await expect(connect(manifest({ cache: guarded }), quiet)).rejects.toThrow(/HEXPROPERTY_SECRET_PORTS_TEST_CACHE_AUTH/);
  });

  test("given no ports option, when the cache does not answer, then connect fails with one line naming the cache (every port, as before)", async () => {
    const err = (await connect(manifest(), quiet).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/^cache redis at 127\.0\.0\.1:1 does not answer: /);
    expect(err.message).not.toContain("\n");
  });

  test("given an unknown port name, when connecting, then it fails naming the ports there are", async () => {
    await expect(connect(manifest(), { ...quiet, ports: ["bus", "search" as never] })).rejects.toThrow(/^connect option ports: unknown port "search"; ports are bus, writeStore, readStore, cache$/);
  });
});
