/**
 * Validation of environment configs: the schema first, then a short list of
 * cross-field rules run in one place. The first problem found is reported as
 * one line (environment, key path, bad value, what is allowed).
 */
import type { z } from "zod";
import { environmentSchema, type Environment, type ParsedEnvironment, SERVICE_NAMES } from "./schema";
import { invalidValue, EnvironmentConfigError } from "./errors";

interface Rule {
  /** Key path the message names. */
  readonly path: (env: ParsedEnvironment) => string;
  /** True when the environment breaks the rule. */
  readonly violated: (env: ParsedEnvironment) => boolean;
  readonly value: (env: ParsedEnvironment) => unknown;
  readonly allowed: (env: ParsedEnvironment) => string;
}

const perService = (build: (service: (typeof SERVICE_NAMES)[number]) => Rule): Rule[] => SERVICE_NAMES.map(build);

/** Rules the schema alone cannot express. */
export const RULES: readonly Rule[] = [
  {
    path: () => "gcp",
    violated: (e) => e.stack === "gcp" && e.gcp === undefined,
    value: (e) => e.gcp,
    allowed: () => 'a "gcp" settings block when stack is "gcp"',
  },
  {
    path: () => "portable",
    violated: (e) => e.stack === "portable" && e.portable === undefined,
    value: (e) => e.portable,
    allowed: () => 'a "portable" settings block when stack is "portable"',
  },
  ...perService((s) => ({
    path: () => `services.${s}.minInstances`,
    violated: (e) => e.services[s].minInstances > e.services[s].maxInstances,
    value: (e) => e.services[s].minInstances,
    allowed: (e) => `a number <= services.${s}.maxInstances (${e.services[s].maxInstances})`,
  })),
  {
    path: () => "events.minBackoffSeconds",
    violated: (e) => e.events.minBackoffSeconds > e.events.maxBackoffSeconds,
    value: (e) => e.events.minBackoffSeconds,
    allowed: (e) => `a number <= events.maxBackoffSeconds (${e.events.maxBackoffSeconds})`,
  },
  {
    path: () => "backend.kind",
    violated: (e) => e.name === "prod" && e.backend.kind === "local",
    value: (e) => e.backend.kind,
    allowed: () => '"gcs" or "kubernetes" for prod (local state is lost with the machine)',
  },
];

/** Validates one raw environment; returns it typed or throws EnvironmentConfigError. */
export function validateEnvironment(label: string, raw: unknown): Environment {
  const parsed = environmentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fromZodIssue(label, raw, issue);
  }
  const env = parsed.data;
  if (env.name !== label) throw invalidValue(label, "name", env.name, `"${label}" (the name the environment is registered under)`);
  for (const rule of RULES) {
    if (rule.violated(env)) throw invalidValue(label, rule.path(env), rule.value(env), rule.allowed(env));
  }
  return narrow(label, env);
}

/** The one place the stack is chosen: the selected block is kept (and known to be there), the other dropped. */
function narrow(label: string, env: ParsedEnvironment): Environment {
  const { gcp, portable, ...common } = env;
  switch (env.stack) {
    case "gcp":
      if (!gcp) throw invalidValue(label, "gcp", gcp, 'a "gcp" settings block when stack is "gcp"');
      return { ...common, stack: "gcp", gcp };
    case "portable":
      if (!portable) throw invalidValue(label, "portable", portable, 'a "portable" settings block when stack is "portable"');
      return { ...common, stack: "portable", portable };
    default:
      return unreachable(env.stack);
  }
}

function unreachable(value: never): never {
  throw new Error(`unexpected stack ${JSON.stringify(value)}`);
}

function fromZodIssue(label: string, raw: unknown, issue: z.core.$ZodIssue): EnvironmentConfigError {
  const segments = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const path = [...segments, key].join(".");
    return invalidValue(label, path, valueAt(raw, [...segments, key]), `no key "${key}" here (unknown key; check its spelling)`);
  }
  const path = segments.join(".") || "(root)";
  return invalidValue(label, path, valueAt(raw, segments), allowedText(issue));
}

function allowedText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `a value of type ${issue.expected}`;
    case "too_small":
      return issue.origin === "number" ? `a number ${issue.inclusive ? ">=" : ">"} ${issue.minimum}` : `${issue.origin} of size >= ${issue.minimum}`;
    case "too_big":
      return issue.origin === "number" ? `a number ${issue.inclusive ? "<=" : "<"} ${issue.maximum}` : `${issue.origin} of size <= ${issue.maximum}`;
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_union":
      return unionText(issue);
    case "not_multiple_of":
      return `a multiple of ${issue.divisor}`;
    case "invalid_format":
      return issue.format === "url" ? "an absolute URL such as https://example.com/path" : issue.message;
    case "invalid_key":
      return `a key that is ${issue.issues.map((i) => i.message).join("; ")}`;
    default:
      return issue.message;
  }
}

function unionText(issue: z.core.$ZodIssueInvalidUnion): string {
  // A discriminated union reports the allowed discriminator values in its note/message.
  const discriminator = /^Invalid discriminator value\. Expected (.*)$/.exec(issue.message);
  if (discriminator) return `one of ${discriminator[1]!.split(" | ").map((v) => `"${v.replace(/'/g, "")}"`).join(", ")}`;
  if (issue.errors.length === 0) return issue.message;
  const literals = issue.errors.map((branch) => branch.find((i) => i.code === "invalid_value")).filter((i): i is z.core.$ZodIssueInvalidValue => i !== undefined);
  if (literals.length > 0) return `one of ${literals.flatMap((l) => l.values).map((v) => JSON.stringify(v)).join(", ")}`;
  return issue.message;
}

function valueAt(raw: unknown, path: readonly string[]): unknown {
  let current: unknown = raw;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
