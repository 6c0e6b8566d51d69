/**
 * Every environment, validated. `loadEnvironments()` applies the optional
 * HEXPROPERTY_OVERRIDES (a JSON merge patch per environment, e.g.
 * {"dev":{"stack":"gcp"}}) and HEXPROPERTY_ONLY (comma-separated names), then
 * validates every environment; the first problem throws one clear line.
 * A key given twice in the overrides, or a number too large to be finite, is
 * an error (JSON.parse alone would hide both).
 */
import { dev } from "./dev";
import { staging } from "./staging";
import { prod } from "./prod";
import type { Environment, EnvironmentConfig } from "./schema";
import { validateEnvironment } from "./validate";
import { duplicateOverrideKey, invalidOverrides, notFiniteNumber, unknownEnvironment, unknownSelection } from "./errors";
import { findJsonProblem, parseJsonObject } from "./json";
import { imageDigestsPatch, readImageDigests, type ImageDigests } from "./image-digests";

export * from "./schema";
export { EnvironmentConfigError } from "./errors";
export { FLAGS, FLAG_NAMES, type FlagName, type FlagSettings, type FlagDefinition } from "./flags";
export { validateEnvironment, RULES } from "./validate";
export { PLACEHOLDER_DIGEST, readImageDigests, type ImageDigests } from "./image-digests";

/** The environment files, by name, in a stable order. */
export const ENVIRONMENTS: Readonly<Record<string, EnvironmentConfig>> = { dev, staging, prod };

export interface LoadOptions {
  /** Raw configs; @default - the environment files */
  readonly configs?: Readonly<Record<string, unknown>>;
  /** Merge patches per environment; @default - parsed from HEXPROPERTY_OVERRIDES */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** Only these environments; @default - HEXPROPERTY_ONLY, else all */
  readonly only?: readonly string[];
  /** Image digests of a build, put into every gcp block before the overrides; @default - read from the file HEXPROPERTY_IMAGE_DIGESTS names, else none */
  readonly imageDigests?: ImageDigests;
}

export function loadEnvironments(options: LoadOptions = {}): Environment[] {
  const configs = options.configs ?? ENVIRONMENTS;
  const names = Object.keys(configs);
  const overrides = options.overrides ?? parseOverrides(process.env.HEXPROPERTY_OVERRIDES);
  for (const name of Object.keys(overrides)) if (!names.includes(name)) throw unknownEnvironment(name, names);
  const only = options.only ?? (process.env.HEXPROPERTY_ONLY ? process.env.HEXPROPERTY_ONLY.split(",").map((s) => s.trim()).filter(Boolean) : undefined);
  for (const name of only ?? []) if (!names.includes(name)) throw unknownSelection(name, names);
  // Validate every environment (also the ones not selected): a broken file is never silently skipped.
  const digests = options.imageDigests ?? (options.configs ? undefined : readImageDigests(process.env.HEXPROPERTY_IMAGE_DIGESTS));
  const all = names.map((name) => validateEnvironment(name, mergePatch(mergePatch(configs[name], imageDigestsPatch(configs[name], digests)), overrides[name])));
  return only ? all.filter((e) => only.includes(e.name)) : all;
}

export function parseOverrides(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === "") return {};
  const value = parseJsonObject(text, invalidOverrides);
  const problem = findJsonProblem(text);
  if (problem?.kind === "duplicate") throw duplicateOverrideKey(problem.path, problem.first, problem.second);
  if (problem?.kind === "notFinite") throw notFiniteNumber(problem.path[0]!, problem.path.slice(1).join(".") || "(root)", problem.raw);
  return value;
}

/** RFC 7386 JSON merge patch: objects merge, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === undefined) return target;
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> = target !== null && typeof target === "object" && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete base[key];
    // defineProperty: a key named "__proto__" stays a key (and is then reported as unknown), as JSON.parse keeps it.
    else Object.defineProperty(base, key, { value: mergePatch(Object.hasOwn(base, key) ? base[key] : undefined, value), enumerable: true, writable: true, configurable: true });
  }
  return base;
}
