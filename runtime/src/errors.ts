/**
 * Every error a user of the runtime can hit, built by one named function (or
 * class) each. A message says what went wrong, why, and how to fix it, on ONE
 * line, naming the source/backend it concerns.
 */

/** Base class: `code` lets callers test the kind without instanceof across module copies. */
export class RuntimeError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stored version of an aggregate is not the one the caller loaded; nothing was written. */
export class ConcurrencyError extends RuntimeError {
  constructor(readonly aggregateType: string, readonly aggregateId: string, readonly expectedVersion: number, readonly actualVersion: number) {
    super(
      "HEXPROPERTY_CONCURRENCY",
      `concurrency conflict on ${aggregateType}/${aggregateId}: expected version ${expectedVersion} but the store has ${actualVersion}; reload the aggregate and retry the command`,
    );
  }
}
export function isConcurrencyError(e: unknown): e is ConcurrencyError {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "HEXPROPERTY_CONCURRENCY";
}

/** An event id of a save is already in the outbox (or twice in the request); nothing was written. */
export class DuplicateEventError extends RuntimeError {
  constructor(readonly eventId: string, backend: string) {
    super("HEXPROPERTY_DUPLICATE_EVENT", `${backend}: event id "${eventId}" is already in the outbox; event ids must be unique, nothing was written`);
  }
}
export function isDuplicateEventError(e: unknown): e is DuplicateEventError {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "HEXPROPERTY_DUPLICATE_EVENT";
}

// ------------------------------------------------------------------ manifest

export function manifestSourceMissing(): RuntimeError {
  return new RuntimeError(
    "HEXPROPERTY_MANIFEST_MISSING",
    "no runtime manifest: set HEXPROPERTY_MANIFEST (the JSON), HEXPROPERTY_MANIFEST_FILE (a path), or HEXPROPERTY_OUTPUTS_FILE with HEXPROPERTY_STACK (a cdktf outputs file)",
  );
}

export function manifestUnreadable(source: string, cause: unknown): RuntimeError {
  return new RuntimeError("HEXPROPERTY_MANIFEST_UNREADABLE", `runtime manifest from ${source}: cannot read it (${oneLine(cause)}); check the path`);
}

export function manifestNotJson(source: string, cause: unknown): RuntimeError {
  return new RuntimeError("HEXPROPERTY_MANIFEST_NOT_JSON", `runtime manifest from ${source}: not valid JSON (${oneLine(cause)})`);
}

export function manifestInvalid(source: string, issues: readonly { path: string; message: string }[]): RuntimeError {
  const first = issues[0] ?? { path: "(root)", message: "invalid" };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  return new RuntimeError("HEXPROPERTY_MANIFEST_INVALID", `runtime manifest from ${source}: at ${first.path}: ${oneLine(first.message)}${more}`);
}

export function outputsStackMissing(source: string, stack: string | undefined, available: readonly string[]): RuntimeError {
  const which = stack === undefined ? "HEXPROPERTY_STACK is not set" : `stack "${stack}" is not in it`;
  return new RuntimeError(
    "HEXPROPERTY_OUTPUTS_STACK",
    `runtime manifest from ${source}: ${which}; stacks in the file: ${available.length ? available.join(", ") : "(none)"}; set HEXPROPERTY_STACK to one of them`,
  );
}

export function outputsManifestMissing(source: string, stack: string): RuntimeError {
  return new RuntimeError(
    "HEXPROPERTY_OUTPUTS_NO_MANIFEST",
    `runtime manifest from ${source}: stack "${stack}" has no output "runtime_manifest"; run cdktf output --outputs-file after deploying a stack that emits it`,
  );
}

// ------------------------------------------------------------------ adapters

export function invalidSetting(adapter: string, key: string, value: unknown, allowed: string): RuntimeError {
  return new RuntimeError("HEXPROPERTY_SETTING", `${adapter}: setting ${key} is ${JSON.stringify(value)}; allowed: ${allowed}`);
}

export function backendUnreachable(port: string, backend: string, where: string, cause: unknown): RuntimeError {
  return new RuntimeError("HEXPROPERTY_UNREACHABLE", `${port} ${backend} at ${where} does not answer: ${oneLine(cause)}; is the server running (npm run backends:up)?`);
}

export function backendSetupFailed(port: string, backend: string, where: string, cause: unknown): RuntimeError {
  return new RuntimeError("HEXPROPERTY_SETUP", `${port} ${backend} at ${where} answers but creating its tables failed: ${oneLine(cause)}`);
}

export function subscriptionMissing(backend: string, subscription: string, projectId: string): RuntimeError {
  return new RuntimeError(
    "HEXPROPERTY_PUBSUB_SUBSCRIPTION_MISSING",
    `${backend}: subscription "${subscription}" does not exist in project ${projectId}; provision it (cdktf deploy, or ensureTopology() for local profiles)`,
  );
}

export function databaseMissing(backend: string, database: string, instance: string, projectId: string): RuntimeError {
  return new RuntimeError(
    "HEXPROPERTY_SPANNER_DATABASE_MISSING",
    `${backend}: database ${database} does not exist on instance ${instance} of project ${projectId}; provision it (cdktf deploy), or for the emulator run npm run backends:up`,
  );
}

export function invalidUnitStatus(backend: string, unitId: string, status: unknown, allowed: readonly string[]): RuntimeError {
  return new RuntimeError("HEXPROPERTY_SETTING", `${backend}: unit ${unitId} has status "${String(status)}"; allowed: ${allowed.join(", ")}`);
}

export function topicMissing(backend: string, topic: string, subscription: string): RuntimeError {
  return new RuntimeError(
    "HEXPROPERTY_TOPIC_MISSING",
    `${backend}: topic "${topic}" of subscription ${subscription} does not exist; the stack creates it (KafkaTopic), locally connect() provisions it (or call ensureTopology())`,
  );
}

export function unknownStream(backend: string, stream: string, known: readonly string[]): RuntimeError {
  return new RuntimeError("HEXPROPERTY_UNKNOWN_STREAM", `${backend}: stream "${stream}" is not in the manifest's eventBus.streams (known: ${known.join(", ") || "none"})`);
}

export function unknownSubscription(backend: string, subscription: string, known: readonly string[]): RuntimeError {
  return new RuntimeError(
    "HEXPROPERTY_UNKNOWN_SUBSCRIPTION",
    `${backend}: subscription "${subscription}" is not in the manifest's eventBus.subscriptions (known: ${known.join(", ") || "none"})`,
  );
}

export function adapterClosed(backend: string): RuntimeError {
  return new RuntimeError("HEXPROPERTY_CLOSED", `${backend}: used after close()`);
}

export function alreadySettled(backend: string, eventId: string): RuntimeError {
  return new RuntimeError("HEXPROPERTY_SETTLED", `${backend}: delivery of event "${eventId}" was already acked or nacked; settle a delivery once`);
}

export function busDegraded(backend: string, problems: readonly string[]): RuntimeError {
  return new RuntimeError("HEXPROPERTY_DEGRADED", `${backend} is degraded: ${problems.join("; ")}; it keeps retrying, see the logs`);
}

export function unknownOutboxStream(backend: string, eventId: string, stream: string, known: readonly string[]): RuntimeError {
  return new RuntimeError(
    "HEXPROPERTY_UNKNOWN_STREAM",
    `${backend}: event "${eventId}" names stream "${stream}", which is not in the manifest's eventBus.streams (known: ${known.join(", ") || "none"}); nothing was written`,
  );
}

export function outboxParkingUnsupported(backend: string): RuntimeError {
  return new RuntimeError("HEXPROPERTY_UNSUPPORTED", `outbox relay: write store "${backend}" cannot park outbox entries; parked entries exist only on stores that implement OutboxParking`);
}

export function secretUnavailable(what: string, detail: string): RuntimeError {
  return new RuntimeError("HEXPROPERTY_SECRET", `${what}: secret not available: ${detail}`);
}

export function unsupportedKind(port: string, kind: string): RuntimeError {
  return new RuntimeError("HEXPROPERTY_UNSUPPORTED", `${port}: kind "${kind}" has no adapter in this runtime`);
}

/** Renders any thrown value on one line. */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e);
  return String(text).replace(/\s*\n\s*/g, " ").trim();
}
