/**
 * Validation of environment configs: the schema first, then a short list of
 * cross-field rules run in one place. The first problem found is reported as
 * one line (environment, key path, bad value, what is allowed).
 */
import type { z } from "zod";
import { environmentSchema, type Environment, type ParsedEnvironment, SERVICE_NAMES } from "./schema";
import { invalidValue, unknownFlag, unknownKey, EnvironmentConfigError } from "./errors";
import { FLAG_NAMES } from "./flags";
import { closest } from "./suggest";

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
  // An HPA keeps at least one replica (minReplicas 0 needs the HPAScaleToZero feature gate, off by default): config and output must agree.
  ...perService((s) => ({
    path: () => `services.${s}.minInstances`,
    violated: (e) => e.stack === "portable" && e.services[s].minInstances < 1,
    value: (e) => e.services[s].minInstances,
    allowed: () => 'a number >= 1 when stack is "portable" (a HorizontalPodAutoscaler cannot scale to zero without the HPAScaleToZero feature gate)',
  })),
  {
    path: () => "portable.backup.credentialsSecret",
    violated: (e) => e.portable?.backup !== undefined && (e.portable.backup.credentialsSecret === undefined) === (e.portable.backup.workloadIdentity === undefined),
    value: (e) => e.portable?.backup?.credentialsSecret,
    allowed: () => "exactly one of portable.backup.credentialsSecret (the object store's keys in an input Secret) and portable.backup.workloadIdentity (the cloud's workload identity, no key)",
  },
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
  // jitless: zod would otherwise generate (new Function) and compile a parser per object schema on its first parse, which
  // costs more than the few parses a run makes (one per environment); the interpreted parse checks and reports the same.
  const parsed = environmentSchema.safeParse(raw, { jitless: true });
  if (!parsed.success) throw fromZodIssues(label, raw, parsed.error.issues);
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

/**
 * The first problem, as one line. An unknown key is reported before anything
 * else, with the closest known key and the keys missing next to it (a
 * misspelt key usually leaves its real one missing).
 */
function fromZodIssues(label: string, raw: unknown, issues: readonly z.core.$ZodIssue[]): EnvironmentConfigError {
  const unknown = issues.find((i): i is z.core.$ZodIssueUnrecognizedKeys => i.code === "unrecognized_keys");
  if (unknown) {
    const segments = unknown.path.map(String);
    const key = unknown.keys[0]!;
    const value = valueAt(raw, [...segments, key]);
    if (segments.join(".") === "flags") return unknownFlag(label, key, value, FLAG_NAMES, closest(key, FLAG_NAMES));
    const missing = issues.filter((i) => isMissing(raw, i) && sameParent(i.path.map(String), segments)).map((i) => i.path.map(String).join("."));
    const candidates = missing.length > 0 ? missing.map((m) => m.slice(m.lastIndexOf(".") + 1)) : knownKeysAt(environmentSchema, segments, raw);
    return unknownKey(label, [...segments, key].join("."), value, closest(key, candidates), missing);
  }
  return fromZodIssue(label, raw, issues[0]!);
}

function isMissing(raw: unknown, issue: z.core.$ZodIssue): boolean {
  const segments = issue.path.map(String);
  const parent = valueAt(raw, segments.slice(0, -1));
  return segments.length > 0 && parent !== null && typeof parent === "object" && !(segments[segments.length - 1]! in parent);
}

function sameParent(path: readonly string[], parent: readonly string[]): boolean {
  return path.length === parent.length + 1 && parent.every((p, i) => path[i] === p);
}

function fromZodIssue(label: string, raw: unknown, issue: z.core.$ZodIssue): EnvironmentConfigError {
  const segments = issue.path.map(String);
  const path = segments.join(".") || "(root)";
  // A custom rule may say which value it judged (a label's key rather than its value).
  const params = issue.code === "custom" ? (issue.params as { value?: unknown } | undefined) : undefined;
  const value = params && "value" in params ? params.value : valueAt(raw, segments);
  if (typeof value === "number" && !Number.isFinite(value)) return invalidValue(label, path, value, "a finite number");
  return invalidValue(label, path, value, allowedText(issue));
}

/** The parts of a zod schema's definition that "did you mean" walks through. */
interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly valueType?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly discriminator?: string;
}
const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { def: SchemaDef }).def;
const child = (value: unknown, key: string): unknown => (value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined);

/** The keys the schema has at `path` (for "did you mean"); follows optional blocks, records and the branch of a discriminated union the raw value selects. */
function knownKeysAt(schema: z.ZodType, path: readonly string[], raw: unknown): string[] {
  let current: z.ZodType | undefined = settle(schema, raw);
  let value = raw;
  for (const key of path) {
    if (current === undefined) return [];
    const def = defOf(current);
    value = child(value, key);
    current = settle(def.type === "object" ? def.shape?.[key] : def.type === "record" ? def.valueType : undefined, value);
  }
  const shape = current === undefined ? undefined : defOf(current).shape;
  return shape ? Object.keys(shape) : [];
}

/** Unwraps optional/default/nullable, and picks the branch of a discriminated union that `value` selects. */
function settle(schema: z.ZodType | undefined, value: unknown): z.ZodType | undefined {
  let current = schema;
  while (current !== undefined) {
    const def = defOf(current);
    if ((def.type === "optional" || def.type === "default" || def.type === "nullable") && def.innerType) current = def.innerType;
    else if (def.type === "union" && def.options && def.discriminator) {
      const discriminator = def.discriminator;
      const tag = child(value, discriminator);
      current = def.options.find((o) => defOf(o).shape?.[discriminator]?.safeParse(tag).success) ?? def.options[0];
    } else return current;
  }
  return undefined;
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
