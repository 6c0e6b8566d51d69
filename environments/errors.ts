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
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
