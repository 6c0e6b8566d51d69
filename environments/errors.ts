/**
 * Errors a user of the environments can hit. Each names the environment, the
 * key path, the bad value and what is allowed, on one line.
 */

/** Thrown when an environment file (or an override) does not fit the schema. */
export class EnvironmentConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly path: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`invalid environment "${environment}": ${path} = ${formatValue(value)} is not allowed; expected ${allowed}`);
    this.name = "EnvironmentConfigError";
  }
}

/** A value of the config is wrong. */
export function invalidValue(environment: string, path: string, value: unknown, allowed: string): EnvironmentConfigError {
  return new EnvironmentConfigError(environment, path, value, allowed);
}

/** A key that the schema does not have; names the closest known key and the keys missing next to it. */
export function unknownKey(environment: string, path: string, value: unknown, suggestion: string | undefined, missing: readonly string[]): EnvironmentConfigError {
  const key = path.slice(path.lastIndexOf(".") + 1);
  const hint = suggestion ? ` — did you mean "${suggestion}"?` : missing.length === 0 ? "; check its spelling" : "";
  const gaps = missing.length > 0 ? `; ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing` : "";
  return new EnvironmentConfigError(environment, path, value, `no key "${key}" here (unknown key${hint})${gaps}`);
}

/** A feature flag that ./flags.ts does not declare: flags are never created by an environment file. */
export function unknownFlag(environment: string, name: string, value: unknown, known: readonly string[], suggestion: string | undefined): EnvironmentConfigError {
  const hint = suggestion ? ` — did you mean "${suggestion}"?` : "";
  return new EnvironmentConfigError(environment, `flags.${name}`, value, `a flag declared in environments/flags.ts (${known.join(", ")})${hint}`);
}

/** A number whose JSON text does not fit a finite double (JSON.parse would turn 1e400 into Infinity, shown as null). */
export function notFiniteNumber(environment: string, path: string, raw: string): EnvironmentConfigError {
  return new EnvironmentConfigError(environment, path, new RawJson(raw), "a finite number");
}

/** A key given twice in HEXPROPERTY_OVERRIDES (JSON.parse would let the last one win silently). */
export function duplicateOverrideKey(path: readonly string[], first: string, second: string): Error {
  if (path.length === 1) return new Error(`invalid HEXPROPERTY_OVERRIDES: "${path[0]}" is given twice; expected each environment once (the last one would silently win)`);
  const [environment, ...keys] = path;
  return new EnvironmentConfigError(environment!, keys.join("."), new RawJson(second), `the key once in HEXPROPERTY_OVERRIDES (it is given twice, first as ${formatValue(new RawJson(first))}; the last one would silently win)`);
}

/** A value quoted as its JSON source text (1e400, a duplicate's second value). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** HEXPROPERTY_OVERRIDES is not a JSON object keyed by environment. */
export function invalidOverrides(detail: string): Error {
  return new Error(`invalid HEXPROPERTY_OVERRIDES: ${detail}; expected a JSON object such as {"dev":{"stack":"gcp"}}`);
}

/** An override names an environment that does not exist. */
export function unknownEnvironment(name: string, known: readonly string[]): Error {
  return new Error(`unknown environment "${name}" in HEXPROPERTY_OVERRIDES; known environments: ${known.join(", ")}`);
}

/** HEXPROPERTY_ONLY names an environment that does not exist. */
export function unknownSelection(name: string, known: readonly string[]): Error {
  return new Error(`unknown environment "${name}" in HEXPROPERTY_ONLY; known environments: ${known.join(", ")}`);
}

export function formatValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const text = value instanceof RawJson ? value.text.replace(/\s+/g, " ") : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
