/**
 * /readyz pings only what the hosted services use. On Cloud Run each service
 * holds grants on its own backends only (property has none on the read model
 * or the cache), so a readiness check that pinged every backend of the
 * manifest would answer 503 for ever.
 */
import { embeddedManifest } from "../../services/launcher/profiles";
import { runServices, type Host, type ServiceModule, type SharedBackend } from "../../services/platform/host";
import { allModules } from "../../services/modules";
import { propertyModule } from "../../services/property/index";
import { searchModule } from "../../services/search/index";
import { connect } from "@hexproperty/runtime";
import { DOMAIN } from "../../constructs/domain";
import { backendsOf, type Backend } from "../../constructs/domain/catalog";
import { openServiceWriteStore, processSettings } from "../../services/platform/runtime";

async function readyz(host: Host): Promise<{ status: number; body: { status: string; failed: number } }> {
  const res = await fetch(`${host.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; failed: number } };
}

/** The backend answers no round trip any more (as a store without a grant does). */
function down(host: Host, backend: SharedBackend): void {
  host.rt[backend].ping = () => Promise.reject(new Error(`${backend} is down`));
}

/**
 * The backends a module's composition root wires: its declared `uses` (the runtime is connected with those ports alone,
 * so starting fails if it touches another) and its own write store when start() asks for one.
 */
async function wired(module: ServiceModule): Promise<Backend[]> {
  const rt = await connect(embeddedManifest("memory://"), { telemetry: { sink: () => undefined }, ports: module.uses });
  const settings = processSettings({});
  const stores: Awaited<ReturnType<typeof openServiceWriteStore>>[] = [];
  try {
    const running = await module.start({
      rt,
      settings,
      logger: (c) => rt.telemetry.logger(c),
      writeStore: async () => {
        const store = await openServiceWriteStore(rt.manifest.writeStore, module.name, settings);
        stores.push(store);
        return store;
      },
    });
    await running.stop();
    return [...module.uses, ...(stores.length ? (["writeStore"] as const) : [])];
  } finally {
    await Promise.allSettled(stores.map((s) => s.close()));
    await rt.close();
  }
}

describe("readiness", () => {
  let host: Host | undefined;
  beforeEach(() => {
    process.env.HEXPROPERTY_MANIFEST = JSON.stringify(embeddedManifest("memory://"));
  });
  afterEach(async () => {
    await host?.stop();
    host = undefined;
    delete process.env.HEXPROPERTY_MANIFEST;
  });
  const start = async (modules: readonly ServiceModule[]) => (host = await runServices(modules, { port: 0, handleSignals: false }));

  test("given the property service alone, when the read model and the cache it does not use are down, then it is still ready", async () => {
    const h = await start([propertyModule]);
    down(h, "readStore");
    down(h, "cache");
    expect(await readyz(h)).toEqual({ status: 200, body: { status: "ready", failed: 0 } });
  });

  test("given the property service alone, when the read model and the cache it does not use cannot be reached at start, then it starts (they are never opened) and is ready", async () => {
    // As on Cloud Run under least privilege: no grant on the read model, no cache secret mounted.
    process.env.HEXPROPERTY_MANIFEST = JSON.stringify({
      ...embeddedManifest("memory://"),
      readStore: { kind: "clickhouse", url: "http://127.0.0.1:1", database: "nowhere", user: "nobody" },
      cache: { kind: "redis", host: "127.0.0.1", port: 1, tls: false, keyPrefix: "x:", auth: { kind: "secret-manager", name: "projects/p/secrets/unmounted-cache-auth/versions/1" } },
    });
    const h = await start([propertyModule]);
    expect(await readyz(h)).toEqual({ status: 200, body: { status: "ready", failed: 0 } });
    expect(() => h.rt.cache.get("k")).toThrow(/^cache is not connected: this service declared it does not use it \(connect option ports: bus\)/);
  });

  test("given the search service alone, when the bus it does not use cannot be reached at start, then it starts and is ready", async () => {
    const m = embeddedManifest("memory://");
    process.env.HEXPROPERTY_MANIFEST = JSON.stringify({ ...m, eventBus: { kind: "kafka", brokers: ["127.0.0.1:1"], clientId: "nowhere", tls: false, streams: m.eventBus.streams, subscriptions: m.eventBus.subscriptions } });
    const h = await start([searchModule]);
    expect(await readyz(h)).toEqual({ status: 200, body: { status: "ready", failed: 0 } });
  });

  test("given the property service alone, when the bus it publishes to is down, then it is not ready", async () => {
    const h = await start([propertyModule]);
    down(h, "bus");
    expect(await readyz(h)).toEqual({ status: 503, body: { status: "not ready", failed: 1 } });
  });

  test("given the search service alone, when the bus it does not use is down, then it is ready; when its read model is down, it is not", async () => {
    const h = await start([searchModule]);
    down(h, "bus");
    expect((await readyz(h)).status).toBe(200);
    down(h, "readStore");
    expect(await readyz(h)).toEqual({ status: 503, body: { status: "not ready", failed: 1 } });
  });

  test("given every service in one process, when any backend is down, then it is not ready (the union of what they use)", async () => {
    const h = await start(allModules);
    expect((await readyz(h)).status).toBe(200);
    down(h, "cache");
    expect((await readyz(h)).status).toBe(503);
  });

  test.each([
    ["property", ["bus"]],
    ["leasing", ["bus", "readStore"]],
    ["search", ["readStore", "cache"]],
    ["projector", ["bus", "readStore", "cache"]],
  ])("given the %s module, when its declaration is read, then it names exactly the backends its composition root wires", (name, uses) => {
    expect([...allModules.find((m) => m.name === name)!.uses].sort()).toEqual([...uses].sort());
  });

  // The stacks grant (and mount the secrets of) exactly the catalog's backends (backendsOf): a backend a service uses without a
  // grant fails on a least-privilege stack; a grant no code uses is privilege for nothing. bus: it publishes or consumes a
  // stream; writeStore: "write" (its own, opened by ctx.writeStore()); readStore: "read" or "project"; cache: "cache".
  test.each(allModules.map((m) => [m.name, m] as const))("given the %s module, when what its composition root wires is compared with the domain catalog, then each grants exactly what the other uses", async (name, module) => {
    expect([...(await wired(module))].sort()).toEqual([...backendsOf(DOMAIN, name)].sort());
  });
});
