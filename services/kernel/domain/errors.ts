/**
 * The two ways a domain rule can refuse: a value that is not valid
 * (InvalidValue: names the field, maps to 400) and a command that does not
 * fit the aggregate's current state (RuleViolation: maps to 409).
 * Plain classes: the domain imports nothing.
 */
export class InvalidValue extends Error {
  readonly code = "INVALID_VALUE";
  constructor(readonly field: string, readonly problem: string) {
    super(`${field}: ${problem}`);
    this.name = "InvalidValue";
  }
}

export class RuleViolation extends Error {
  readonly code = "RULE_VIOLATION";
  constructor(readonly rule: string, message: string) {
    super(message);
    this.name = "RuleViolation";
  }
}

/** Something the command refers to does not exist (for this tenant). */
export class NotFound extends Error {
  readonly code = "NOT_FOUND";
  constructor(readonly what: string, readonly id: string) {
    super(`${what} ${id} not found`);
    this.name = "NotFound";
  }
}

export function isInvalidValue(e: unknown): e is InvalidValue {
  return e instanceof Error && (e as { code?: unknown }).code === "INVALID_VALUE";
}
export function isRuleViolation(e: unknown): e is RuleViolation {
  return e instanceof Error && (e as { code?: unknown }).code === "RULE_VIOLATION";
}
export function isNotFound(e: unknown): e is NotFound {
  return e instanceof Error && (e as { code?: unknown }).code === "NOT_FOUND";
}
