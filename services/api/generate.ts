/**
 * Builds the public API's OpenAPI 3.1 document from the route tables (the
 * RouteSpecs the edge validates with) and writes services/api/openapi.ts.
 * A test regenerates it in memory and fails when the file is out of date.
 *
 *   node -r ./scripts/ts-hook.js services/api/generate.ts
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { leasingRoutes } from "../leasing/interface/routes";
import { healthRoutes, pathParams, type RouteSpec } from "../platform/spec";
import { propertyRoutes } from "../property/interface/routes";
import { searchRoutes } from "../search/interface/routes";

/** Every public route of every service, health first (one per service; the gateway aggregates them). */
export const publicRoutes: readonly RouteSpec[] = [...healthRoutes("property").map((r) => ({ ...r, operationId: r.path === "/healthz" ? "health" : "ready" })), ...propertyRoutes, ...leasingRoutes, ...searchRoutes];

type Schema = Record<string, unknown>;

function jsonSchema(s: z.ZodType): Schema {
  const out = z.toJSONSchema(s, { target: "draft-2020-12", unrepresentable: "any" }) as Schema;
  delete out.$schema;
  return out;
}

const problemRef = { $ref: "#/components/schemas/Problem" };
const errorResponses = (spec: RouteSpec): Record<string, unknown> => {
  const r: Record<string, unknown> = {};
  const problemContent = { "application/problem+json": { schema: problemRef } };
  if (!spec.public) {
    r["400"] = { description: "validation failed; the problem names the field; nothing was stored", content: problemContent };
    r["401"] = { description: "no valid bearer token", content: problemContent };
    r["403"] = { description: "the token's roles do not allow this operation (decided before any data is read)", content: problemContent };
    r["404"] = { description: "not found for this tenant (also when it belongs to another tenant)", content: problemContent };
  }
  if (spec.command) {
    r["409"] = { description: "stale expectedVersion, or the command conflicts with the current state", content: problemContent };
    r["413"] = { description: "body larger than 16 KiB", content: problemContent };
    r["415"] = { description: "body is not application/json", content: problemContent };
    r["422"] = { description: "Idempotency-Key reused with a different request", content: problemContent };
  }
  return r;
};

export function buildOpenApi(routes: readonly RouteSpec[] = publicRoutes): Schema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const parameters: unknown[] = pathParams(spec.path).map((name) => ({ name, in: "path", required: true, schema: { type: "string", format: "uuid" } }));
    if (spec.query) {
      const q = jsonSchema(spec.query) as { properties: Record<string, Schema>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties)) parameters.push({ name, in: "query", required: (q.required ?? []).includes(name), schema });
    }
    if (spec.command) parameters.push({ name: "Idempotency-Key", in: "header", required: false, description: "a retried command with the same key answers the first result", schema: { type: "string", pattern: "^[A-Za-z0-9_.:-]{1,128}$" } });
    const op: Record<string, unknown> = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [spec.service],
      "x-hexproperty-service": spec.service,
      ...(spec.public ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body ? { requestBody: { required: !spec.body.safeParse({}).success, content: { "application/json": { schema: jsonSchema(spec.body) } } } } : {}),
      responses: {
        ...Object.fromEntries(Object.entries(spec.responses).map(([status, description]) => [status, { description, content: { "application/json": { schema: { type: "object" } } } }])),
        ...errorResponses(spec),
      },
    };
    (paths[spec.path] ??= {})[spec.method] = op;
  }
  return {
    openapi: "3.1.0",
    info: { title: "HexProperty API", version: "1.0.0", description: "Properties, units, leasing and search of one property-management company (the tenant named by the token)." },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "issuer, audience and JWKS from the runtime manifest's auth; claims tenant and roles (manager | viewer)" } },
      schemas: {
        Problem: {
          type: "object",
          description: "RFC 9457 problem details",
          required: ["type", "title", "status", "detail"],
          properties: {
            type: { type: "string", format: "uri" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            instance: { type: "string" },
            field: { type: "string", description: "the first offending field (400)" },
            errors: { type: "array", items: { type: "object", required: ["field", "message"], properties: { field: { type: "string" }, pointer: { type: "string" }, message: { type: "string" } } } },
          },
        },
      },
    },
  };
}

export function renderOpenApiModule(doc: Schema = buildOpenApi()): string {
  return [
    "// Generated by services/api/generate.ts from the route tables; do not edit (a test checks it is current).",
    "// Pure data: the stacks import it to build the API Gateway config and the Kong routes.",
    "",
    `export const openApiDocument = ${JSON.stringify(doc, null, 2)} as const;`,
    "",
    "export type OpenApiDocument = typeof openApiDocument;",
    "",
  ].join("\n");
}

if (require.main === module) {
  const file = join(__dirname, "openapi.ts");
  writeFileSync(file, renderOpenApiModule());
  process.stdout.write(`wrote ${file}\n`);
}
