/**
 * A route as data: what the OpenAPI document is generated from and what the
 * HTTP edge validates with. No express here, so the document generator (and
 * through it the stacks) can load the route tables cheaply.
 */
import { z } from "zod";

export type ServiceName = "property" | "leasing" | "search" | "projector";

export interface RouteSpec {
  readonly operationId: string;
  readonly service: ServiceName;
  readonly method: "get" | "post";
  /** OpenAPI path template, e.g. /properties/{propertyId}. */
  readonly path: string;
  readonly summary: string;
  /** Health and readiness only: no token. @default false */
  readonly public?: boolean;
  /** A command: needs the "manager" role, takes an Idempotency-Key, answers 409 on a stale expectedVersion. @default false (a query) */
  readonly command?: boolean;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodObject;
  /** Status → description of the success answers (errors are documented once for all). */
  readonly responses: Readonly<Record<number, string>>;
}

const CONTROL_OR_LONE_SURROGATE = /[\u0000-\u001f\u007f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Human text: 1..max characters, no control characters, well-formed Unicode. */
export const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL_OR_LONE_SURROGATE.test(s), { message: "must be well-formed text without control characters" })
    .refine((s) => s.trim().length > 0, { message: "must not be blank" });

export const money = z
  .object({
    amountCents: z.number().int().min(1).max(10_000_000_000).describe("amount in minor units (cents)"),
    currency: z.string().regex(/^[A-Z]{3}$/).describe("ISO 4217 code"),
  })
  .strict();

export const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe("calendar date YYYY-MM-DD");

/** The version the client loaded; a stale one answers 409. */
export const expectedVersion = z.number().int().min(0).max(1_000_000_000).optional().describe("version the client last read; 409 when the stored version differs");

/** A command without other input: an optional expectedVersion only. */
export const versionOnly = z.object({ expectedVersion }).strict();

/** Path parameters are UUIDs; the names are what a 400 reports. */
export const PATH_PARAM = /\{([A-Za-z]+)\}/g;
export function pathParams(path: string): string[] {
  return [...path.matchAll(PATH_PARAM)].map((m) => m[1]!);
}

export const healthRoutes = (service: ServiceName): RouteSpec[] => [
  { operationId: `${service}Health`, service, method: "get", path: `/healthz`, summary: "Liveness: the process answers", public: true, responses: { 200: "alive" } },
  { operationId: `${service}Ready`, service, method: "get", path: `/readyz`, summary: "Readiness: every backend the service uses answers a round trip (the ones it does not use are never connected)", public: true, responses: { 200: "ready", 503: "a backend the service uses does not answer" } },
];
