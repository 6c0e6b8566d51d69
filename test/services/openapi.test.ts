/**
 * The OpenAPI 3.1 document is generated from the route tables the edge
 * validates with; these tests keep it current and equal to what the services
 * actually serve.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openApiDocument } from "../../services/api/openapi";
import { buildOpenApi, renderOpenApiModule } from "../../services/api/generate";
import { embeddedManifest } from "../../services/launcher/profiles";
import { runServices, type Host } from "../../services/platform/host";
import { allModules } from "../../services/modules";

describe("OpenAPI document", () => {
  test("given the route tables, when the document is generated, then services/api/openapi.ts is exactly that (run services/api/generate.ts after changing a route)", () => {
    expect(readFileSync(join(__dirname, "..", "..", "services", "api", "openapi.ts"), "utf8")).toBe(renderOpenApiModule());
  });

  test("given the document, when read, then it is OpenAPI 3.1 with bearer security on every operation except health and readiness, and problem answers", () => {
    const doc = buildOpenApi() as { openapi: string; security: unknown; paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>> };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.security).toEqual([{ bearer: [] }]);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const op of Object.values(ops)) {
        const open = path === "/healthz" || path === "/readyz";
        expect([path, op.security]).toEqual([path, open ? [] : undefined]);
        if (!open) expect([path, Object.keys(op.responses)]).toEqual([path, expect.arrayContaining(["400", "401", "403", "404"])]);
      }
    }
  });

  describe("given every service running in one process", () => {
    let host: Host;
    beforeAll(async () => {
      process.env.HEXPROPERTY_MANIFEST = JSON.stringify(embeddedManifest("memory://"));
      host = await runServices(allModules, { port: 0, handleSignals: false });
    }, 60_000);
    afterAll(async () => {
      await host?.stop();
      delete process.env.HEXPROPERTY_MANIFEST;
    });

    test("when the served routes are listed, then they are exactly the documented operations", () => {
      const served = host.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
      const documented = Object.entries(openApiDocument.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();
      expect(served).toEqual(documented);
    });
  });
});
