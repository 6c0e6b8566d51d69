/**
 * The HTTP edge (express): turns RouteSpecs into routes with, in this order,
 * authentication (every route but health/readiness), the role check,
 * content-type and body-size checks, JSON parsing, validation of path, query
 * and body (400 problem+json naming the field, before anything is stored),
 * the Idempotency-Key header, then the handler. Errors become RFC 9457
 * problems; an unexpected error is logged and answered 500 without details.
 */
import { createHash } from "node:crypto";
import express, { type NextFunction, type Request, type Response } from "express";
import type { z } from "zod";
import type { CommandContext, CommandResult } from "../kernel/application/aggregates";
import type { Json } from "../kernel/domain/events";
import type { JwtVerifier, Principal } from "./auth";
import { HttpProblem, pointerOf, problem, toProblem, validationProblem, type FieldProblem, type Problem } from "./problem";
import { pathParams, type RouteSpec } from "./spec";

export const BODY_LIMIT_BYTES = 16 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface EdgeRequest<B = unknown> {
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: B;
  /** For commands: tenant, idempotency key, request fingerprint, expectedVersion. */
  readonly command: CommandContext;
}

/** An answer: a JSON `body`, or `raw`, a body already serialized as JSON (sent as is); never both. */
export type EdgeResponse = {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
} & ({ readonly body: Json | { readonly [key: string]: Json }; readonly raw?: never } | { readonly raw: string; readonly body?: never });

/** A command's result as an answer; a replayed idempotent answer says so in a header. */
export function commandResponse(r: CommandResult): EdgeResponse {
  return { status: r.status, body: r.body, headers: r.replayed ? { "Idempotent-Replayed": "true" } : {} };
}

export type Handler = (req: EdgeRequest<any>) => Promise<EdgeResponse>;

/** Wraps command handlers so `after` runs once each command has answered (e.g. wake the outbox relay). */
export function thenRun(after: () => void): (run: Handler) => Handler {
  return (run) => async (req) => {
    const out = await run(req);
    after();
    return out;
  };
}

export interface EdgeLogger {
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface EdgeOptions {
  readonly verifier: JwtVerifier;
  readonly routes: readonly RouteSpec[];
  readonly handlers: Readonly<Record<string, Handler>>;
  readonly logger: EdgeLogger;
}

const parseJson = express.json({ limit: BODY_LIMIT_BYTES, strict: true, type: () => true });

/** Express app serving the given routes; health/readiness handlers are ordinary public routes. */
export function createEdge(o: EdgeOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", "simple");
  for (const spec of o.routes) {
    const handler = o.handlers[spec.operationId];
    if (!handler) throw new Error(`edge: no handler for operation ${spec.operationId} (${spec.method.toUpperCase()} ${spec.path})`);
    const expressPath = spec.path.replace(/\{([A-Za-z]+)\}/g, ":$1");
    app[spec.method](expressPath, (req: Request, res: Response, next: NextFunction) => {
      serve(o, spec, handler, req, res).catch(next);
    });
  }
  app.use((req: Request, res: Response) => send(res, problem(404, "not-found", "Not found", `no route ${req.method} ${req.path}`, { instance: req.path })));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const p = bodyParserProblem(err) ?? toProblem(err);
    if (p) return send(res, { ...p.problem, instance: req.path }, p.headers);
    o.logger.error("request failed", { method: req.method, path: req.path, error: err instanceof Error ? err.stack ?? err.message : String(err) });
    return send(res, problem(500, "internal", "Internal error", "the request failed; it was logged", { instance: req.path }));
  });
  return app;
}

/**
 * The caller's credentials. Behind Google API Gateway the caller's
 * `Authorization` header arrives as `X-Forwarded-Authorization`, and
 * `Authorization` carries the gateway's own Google-signed token (checked by
 * Cloud Run's IAM before the request gets here). Either way the JWT is
 * verified against the manifest's issuer and keys, so the header only says
 * where to find it, never whom to trust.
 */
export function callerAuthorization(req: Pick<Request, "headers">): string | undefined {
  const forwarded = req.headers["x-forwarded-authorization"];
  if (typeof forwarded === "string" && forwarded.length > 0) return forwarded;
  return req.headers.authorization;
}

async function serve(o: EdgeOptions, spec: RouteSpec, handler: Handler, req: Request, res: Response): Promise<void> {
  const principal = spec.public ? anonymous : await o.verifier.verify(callerAuthorization(req));
  if (!spec.public) {
    const allowed = spec.command ? principal.roles.includes("manager") : principal.roles.length > 0;
    // decided from the token alone, before any data is read: a 403 never tells whether something exists
    if (!allowed) throw new HttpProblem(problem(403, "forbidden", "Forbidden", spec.command ? "this command needs the manager role" : "this query needs the viewer or manager role"));
  }
  const errors: FieldProblem[] = [];
  const params: Record<string, string> = {};
  for (const name of pathParams(spec.path)) {
    const v = String(req.params[name] ?? "");
    if (!UUID.test(v)) errors.push({ field: `path.${name}`, message: "must be a lower-case UUID" });
    params[name] = v;
  }
  for (const part of (req.originalUrl.split("?")[1] ?? "").split("&")) {
    const [name = "", value = ""] = part.split("=");
    if (!wellFormedComponent(value) || !wellFormedComponent(name)) errors.push({ field: `query.${safeName(name)}`, message: "is not well-formed percent-encoded UTF-8" });
  }
  const query = validate(spec.query, req.query ?? {}, "query.", errors) as Record<string, string>;
  let body: unknown = undefined;
  if (spec.method === "post") {
    body = await readBody(req, res);
    body = validate(spec.body, body, "", errors);
  } else if (hasBody(req)) {
    errors.push({ field: "body", message: "a GET takes no body" });
  }
  const key = req.headers["idempotency-key"];
  if (key !== undefined && (!spec.command || typeof key !== "string" || !IDEMPOTENCY_KEY.test(key))) {
    errors.push({ field: "header.Idempotency-Key", message: spec.command ? "must be 1-128 of letters, digits, '_', '.', ':' and '-'" : "is only accepted on commands" });
  }
  if (errors.length) throw new HttpProblem(validationProblem(errors));
  const expectedVersion = (body as { expectedVersion?: number } | undefined)?.expectedVersion;
  const command: CommandContext = {
    tenant: principal.tenant,
    idempotencyKey: typeof key === "string" ? key : undefined,
    fingerprint: createHash("sha256").update(`${spec.operationId}\u0000${JSON.stringify(params)}\u0000${canonical(body)}`).digest("hex"),
    expectedVersion,
  };
  const out = await handler({ principal, params, query, body, command });
  for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
  if (out.raw !== undefined) res.status(out.status).type("application/json").send(out.raw);
  else res.status(out.status).json(out.body);
}

const anonymous: Principal = { subject: "anonymous", tenant: undefined as never, roles: [] };

function hasBody(req: Request): boolean {
  return Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
}

/** JSON object body; an empty body reads as {}; anything but JSON is refused (415). */
function readBody(req: Request, res: Response): Promise<unknown> {
  if (!hasBody(req)) return Promise.resolve({});
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]*\+json$/.test(type)) {
    return Promise.reject(new HttpProblem(problem(415, "unsupported-media-type", "Unsupported media type", `send the body as application/json (got ${JSON.stringify(type || "no content type")})`)));
  }
  return new Promise((resolve, reject) => parseJson(req, res, (err?: unknown) => (err ? reject(err) : resolve((req as { body?: unknown }).body))));
}

function validate(schema: z.ZodObject | undefined, value: unknown, prefix: string, errors: FieldProblem[]): unknown {
  if (!schema) {
    if (prefix === "query." && value && Object.keys(value).length) errors.push({ field: `query.${Object.keys(value)[0]}`, message: "is not a parameter of this route" });
    return value;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    errors.push({ field: prefix ? prefix.slice(0, -1) : "body", message: "must be a JSON object" });
    return undefined;
  }
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const keys = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const path of keys) {
      const field = prefix + (path.map(String).join(".") || "body");
      const message = issue.code === "unrecognized_keys" ? "is not a known field" : issue.message;
      errors.push({ field, ...(prefix ? {} : { pointer: pointerOf(field) }), message } as FieldProblem);
    }
  }
  return undefined;
}

function wellFormedComponent(s: string): boolean {
  try {
    decodeURIComponent(s.replace(/\+/g, " "));
    return true;
  } catch {
    return false;
  }
}

function safeName(s: string): string {
  return wellFormedComponent(s) ? decodeURIComponent(s) : "(name)";
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

function bodyParserProblem(err: unknown): { problem: Problem; headers?: Record<string, string> } | undefined {
  const type = typeof err === "object" && err !== null ? (err as { type?: unknown }).type : undefined;
  switch (type) {
    case "entity.parse.failed":
      return { problem: validationProblem([{ field: "body", message: "is not valid JSON" }]) };
    case "entity.too.large":
      return { problem: problem(413, "too-large", "Request body too large", `the body must be at most ${BODY_LIMIT_BYTES} bytes`) };
    case "encoding.unsupported":
    case "charset.unsupported":
      return { problem: problem(415, "unsupported-media-type", "Unsupported media type", "send the body as UTF-8 application/json") };
    case "request.aborted":
    case "request.size.invalid":
    case "stream.encoding.set":
      return { problem: problem(400, "bad-request", "Bad request", "the request body could not be read") };
  }
  if (err instanceof SyntaxError) return { problem: validationProblem([{ field: "body", message: "is not valid JSON" }]) };
  return undefined;
}

function send(res: Response, p: Problem, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.status(p.status).type("application/problem+json").send(JSON.stringify(p));
}
