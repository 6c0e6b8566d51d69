/**
 * The local profiles' stand-in for API Gateway / Kong: one port in front of
 * the service processes, routing each request by the OpenAPI document's paths
 * (x-hexproperty-service), exactly as the cloud gateways are built from it.
 * /healthz and /readyz answer for all services. Bodies and headers pass
 * through untouched; JWT checks stay in the services.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { openApiDocument } from "../api/openapi";

export interface GatewayRoute {
  readonly method: string;
  readonly pattern: RegExp;
  readonly service: string;
}

export function gatewayRoutes(doc: { paths: Record<string, Record<string, { "x-hexproperty-service"?: string }>> } = openApiDocument as never): GatewayRoute[] {
  const out: GatewayRoute[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (path === "/healthz" || path === "/readyz") continue;
    const pattern = new RegExp(`^${path.replace(/\{[A-Za-z]+\}/g, "[^/]+")}$`);
    for (const [method, op] of Object.entries(ops)) out.push({ method: method.toUpperCase(), pattern, service: op["x-hexproperty-service"] ?? "" });
  }
  return out;
}

function problem(res: ServerResponse, status: number, title: string, detail: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { "content-type": "application/problem+json" });
  res.end(JSON.stringify({ type: `https://hexproperty.dev/problems/${status === 404 ? "not-found" : "gateway"}`, title, status, detail }));
}

export async function startGateway(upstreams: Readonly<Record<string, string>>, port: number, host = "127.0.0.1"): Promise<{ url: string; server: Server }> {
  const routes = gatewayRoutes();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (path === "/healthz" || path === "/readyz") return void aggregateHealth(upstreams, path, res);
    const route = routes.find((r) => r.method === req.method && r.pattern.test(path));
    if (!route) return problem(res, 404, "Not found", `no route ${req.method} ${path}`);
    const target = upstreams[route.service];
    if (!target) return problem(res, 502, "Bad gateway", `service ${route.service} is not running`);
    const u = new URL(target);
    const up = request({ host: u.hostname, port: u.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on("error", (e) => problem(res, 503, "Service unavailable", `service ${route.service} did not answer (${e.message}); retry`));
    req.pipe(up);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  return { url: `http://${a.address}:${a.port}`, server };
}

async function aggregateHealth(upstreams: Readonly<Record<string, string>>, path: string, res: ServerResponse): Promise<void> {
  const results = await Promise.all(
    Object.entries(upstreams).map(async ([name, url]) => {
      try {
        const r = await fetch(url + path, { signal: AbortSignal.timeout(5000) });
        return [name, r.status] as const;
      } catch {
        return [name, 0] as const;
      }
    }),
  );
  const ok = results.every(([, s]) => s === 200);
  res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
  res.end(JSON.stringify({ status: ok ? "ok" : "degraded", services: Object.fromEntries(results) }));
}
