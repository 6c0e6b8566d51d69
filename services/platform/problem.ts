/**
 * RFC 9457 problem details: every error answer of the API is one of these,
 * as application/problem+json. One function maps what the layers throw to a
 * problem, so the edge answers the same way everywhere.
 */
import { isInvalidValue, isNotFound, isRuleViolation } from "../kernel/domain/errors";

export interface FieldProblem {
  /** Dotted path of the offending input, e.g. "rent.amountCents" or "query.city". */
  readonly field: string;
  /** JSON Pointer into the request body (RFC 6901), when the field is in the body. */
  readonly pointer?: string;
  readonly message: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  /** The first offending field (400 only). */
  readonly field?: string;
  readonly errors?: readonly FieldProblem[];
}

const BASE = "https://hexproperty.dev/problems/";

export function problem(status: number, kind: string, title: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: BASE + kind, title, status, detail, ...extra };
}

export function validationProblem(errors: readonly FieldProblem[]): Problem {
  const first = errors[0] ?? { field: "body", message: "is not valid" };
  return problem(400, "validation", "Request is not valid", `${first.field}: ${first.message}`, { field: first.field, errors });
}

export class HttpProblem extends Error {
  constructor(readonly problem: Problem, readonly headers: Readonly<Record<string, string>> = {}) {
    super(problem.detail);
  }
}

function codeOf(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string" ? (e as { code: string }).code : undefined;
}

/** Maps anything thrown below the edge to a problem; undefined for an unexpected error (a 500). */
export function toProblem(e: unknown): { problem: Problem; headers?: Record<string, string> } | undefined {
  if (e instanceof HttpProblem) return { problem: e.problem, headers: { ...e.headers } };
  if (isInvalidValue(e)) return { problem: validationProblem([{ field: e.field, pointer: pointerOf(e.field), message: e.problem }]) };
  if (isNotFound(e)) return { problem: problem(404, "not-found", "Not found", e.message) };
  if (isRuleViolation(e)) return { problem: problem(409, `rule/${e.rule}`, "Command conflicts with the current state", e.message) };
  switch (codeOf(e)) {
    case "STALE_VERSION":
      return { problem: problem(409, "stale-version", "Version conflict", (e as Error).message) };
    case "IDEMPOTENCY_KEY_REUSED":
      return { problem: problem(422, "idempotency-key-reused", "Idempotency key reused", (e as Error).message) };
    case "UNAUTHENTICATED":
      return { problem: problem(401, "unauthenticated", "Not authenticated", (e as Error).message), headers: { "WWW-Authenticate": 'Bearer realm="hexproperty"' } };
  }
  return undefined;
}

export function pointerOf(field: string): string | undefined {
  if (field === "body" || field.startsWith("query.") || field.startsWith("path.") || field.startsWith("header.")) return undefined;
  return "/" + field.split(".").map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}
