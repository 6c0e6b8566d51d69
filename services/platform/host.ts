/**
 * Runs one or more services in this process: connects the runtime once,
 * lets each service wire its application and infrastructure, serves all
 * their routes plus /healthz and /readyz on one port, and shuts down in
 * order on SIGINT/SIGTERM (stop taking requests, stop relays and
 * subscriptions, close the backends).
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Logger, Runtime, WriteStore } from "@hexproperty/runtime";
import { RUNTIME_PORTS, type RuntimePort } from "@hexproperty/runtime/manifest";
import { JwtVerifier } from "./auth";
import { createEdge, type Handler } from "./http";
import { connectProcess, openServiceWriteStore, processSettings, type ProcessSettings } from "./runtime";
import { healthRoutes, type RouteSpec, type ServiceName } from "./spec";

export interface ServiceContext {
  readonly rt: Runtime;
  readonly settings: ProcessSettings;
  logger(component: string): Logger;
  /** This service's own write store (opened once, closed by the host). */
  writeStore(): Promise<WriteStore>;
}

export interface RunningService {
  readonly routes: readonly RouteSpec[];
  readonly handlers: Readonly<Record<string, Handler>>;
  /** Stops background work (relays, subscriptions); the host closes the stores afterwards. */
  stop(): Promise<void>;
}

/** The backends of the runtime that a service may use besides its own write store (the runtime's ports but that one). */
export type SharedBackend = Exclude<RuntimePort, "writeStore">;
export const SHARED_BACKENDS: readonly SharedBackend[] = RUNTIME_PORTS.filter((p): p is SharedBackend => p !== "writeStore");

export interface ServiceModule {
  readonly name: ServiceName;
  /**
   * The runtime backends the service uses (its own write store, opened by
   * `ctx.writeStore()`, counts separately). The host connects these and
   * nothing else, and /readyz pings only them: on a least-privilege
   * deployment a service holds no grant (nor mounted secret) for a store it
   * does not use, so opening or pinging one would keep it from starting or
   * unready for ever. Using an undeclared backend fails with one line.
   */
  readonly uses: readonly SharedBackend[];
  start(ctx: ServiceContext): Promise<RunningService>;
}

export interface HostOptions {
  readonly port?: number;
  readonly host?: string;
  /** Called once listening. */
  readonly onListening?: (url: string) => void;
  /** Install SIGINT/SIGTERM handlers that stop the host and exit. @default true */
  readonly handleSignals?: boolean;
}

export interface Host {
  readonly url: string;
  /** Every route this process serves (health and readiness included). */
  readonly routes: readonly RouteSpec[];
  readonly rt: Runtime;
  stop(): Promise<void>;
}

export async function runServices(modules: readonly ServiceModule[], options: HostOptions = {}): Promise<Host> {
  const settings = processSettings();
  const name = modules.length === 1 ? modules[0]!.name : "hexproperty";
  // Only what the hosted services use; each opens its own write store (the runtime's shared one is never opened).
  const used = SHARED_BACKENDS.filter((b) => modules.some((m) => m.uses.includes(b)));
  const rt = await connectProcess(name, settings, used);
  const log = rt.telemetry.logger("host");
  const stores: WriteStore[] = [];
  const running: RunningService[] = [];
  let server: Server | undefined;
  let routes: RouteSpec[] = [];
  try {
    for (const m of modules) {
      let store: Promise<WriteStore> | undefined;
      running.push(
        await m.start({
          rt,
          settings,
          logger: (c) => rt.telemetry.logger(`${m.name}.${c}`),
          writeStore: () =>
            (store ??= openServiceWriteStore(rt.manifest.writeStore, m.name, settings).then((s) => {
              stores.push(s);
              return s;
            })),
        }),
      );
    }
    const verifier = new JwtVerifier(rt.manifest.auth);
    routes = [...healthRoutes(modules[0]!.name).map((r) => ({ ...r, operationId: r.path === "/healthz" ? "health" : "ready" })), ...running.flatMap((r) => r.routes)];
    // Only what the hosted services use (their write stores are in `stores` once opened).
    const backends = used.map((b) => rt[b]);
    const handlers: Record<string, Handler> = {
      health: async () => ({ status: 200, body: { status: "ok", services: modules.map((m) => m.name) } }),
      ready: async () => {
        const checks = await Promise.allSettled([...backends.map((b) => b.ping()), ...stores.map((s) => s.ping())]);
        const failed = checks.filter((c) => c.status === "rejected").length;
        return { status: failed ? 503 : 200, body: { status: failed ? "not ready" : "ready", failed } };
      },
      ...Object.assign({}, ...running.map((r) => r.handlers)),
    };
    const app = createEdge({ verifier, routes, handlers, logger: rt.telemetry.logger("http") });
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(options.port ?? 0, options.host ?? "127.0.0.1", (err?: Error) => (err ? reject(err) : resolve(s)));
    });
    server.keepAliveTimeout = 5000;
  } catch (e) {
    await Promise.allSettled(running.map((r) => r.stop()));
    await Promise.allSettled(stores.map((s) => s.close()));
    await rt.close();
    throw e;
  }
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`;
  let stopping: Promise<void> | undefined;
  const srv = server;
  const stop = () =>
    (stopping ??= (async () => {
      srv.close();
      srv.closeIdleConnections();
      const force = setTimeout(() => srv.closeAllConnections(), 3000);
      force.unref();
      await Promise.allSettled(running.map((r) => r.stop()));
      await rt.close();
      await Promise.allSettled(stores.map((s) => s.close()));
    })());
  if (options.handleSignals ?? true) {
    const onSignal = (signal: NodeJS.Signals) => {
      log.info(`${signal}: stopping`);
      const hard = setTimeout(() => process.exit(1), 10_000);
      hard.unref();
      stop().then(
        () => process.exit(0),
        (e) => {
          log.error("stop failed", { error: String(e) });
          process.exit(1);
        },
      );
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }
  options.onListening?.(url);
  return { url, rt, routes, stop };
}
