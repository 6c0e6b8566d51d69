/** Errors the policy pack raises, built by named factories: what went wrong, why, how to fix it. */
import type { Finding } from "./report";

export class PolicyViolationError extends Error {
  constructor(message: string, readonly findings: readonly Finding[]) {
    super(message);
    this.name = "PolicyViolationError";
  }
}

/** Error-level findings: one clear first line, then one line per finding (rule, paths, why, fix). */
export function policyViolations(pack: string, errors: readonly Finding[]): PolicyViolationError {
  const lines = errors.map((f) => `  - [${f.rule}] ${f.path} (${f.stack}: ${f.address}): ${f.detail}. Why: ${f.why} Fix: ${f.fix}`);
  return new PolicyViolationError(`policy pack "${pack}" found ${errors.length} error-level finding${errors.length === 1 ? "" : "s"}; nothing was written (suppress one with addSuppressions(construct, [{ rule, reason }]) only if it is acceptable):\n${lines.join("\n")}`, errors);
}

/** A suppression or pack that cannot be used as written. */
export class PolicyConfigurationError extends Error {
  override readonly name = "PolicyConfigurationError";
}

export function suppressionWithoutReason(rule: string, path: string): Error {
  return new PolicyConfigurationError(`suppression of policy rule "${rule}" at ${path} has no reason; a suppression must say why the finding is acceptable (at least a sentence)`);
}
