/**
 * Runs commands against one aggregate with optimistic concurrency, the
 * transactional outbox and idempotency keys.
 *
 * Idempotency lives inside the aggregate's stored record: the last
 * IDEMPOTENCY_WINDOW keys used on an aggregate are saved with their request
 * fingerprint and response in the same write as the state and the events, so
 * "command applied" and "key remembered" cannot come apart (not even on
 * kill -9). A retried key returns the first response; the same key with a
 * different request is refused.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Decision, DomainEvent, Json } from "../domain/events";
import type { TenantId } from "../domain/values";

export const IDEMPOTENCY_WINDOW = 64;
/** Loads-decides-saves per command when it loses races on a busy aggregate (no expectedVersion given). */
const MAX_ATTEMPTS = 10;

export interface StoredRecord {
  readonly version: number;
  readonly state: { readonly [key: string]: Json };
}

export interface OutboxEvent {
  readonly id: string;
  readonly stream: string;
  readonly type: string;
  readonly data: Json;
  readonly orderingKey: string;
}

/** What the application needs from a write store (the runtime's WriteStore fits). */
export interface AggregateStorage {
  load(type: string, id: string): Promise<StoredRecord | undefined>;
  /** Throws StorageConflict when the stored version is not expectedVersion. */
  save(request: { type: string; id: string; expectedVersion: number; state: { [key: string]: Json }; events: readonly OutboxEvent[] }): Promise<unknown>;
}

/** The store's version moved since the load (the infrastructure translates its own error to this). */
export class StorageConflict extends Error {
  readonly code = "STORAGE_CONFLICT";
}

/** The client named a version that is not the stored one: 409. */
export class StaleVersion extends Error {
  readonly code = "STALE_VERSION";
  constructor(readonly expected: number, readonly actual: number) {
    super(`version ${expected} is stale: the stored version is ${actual}; reload and retry`);
  }
}

/** An idempotency key was reused with a different request: 422. */
export class IdempotencyKeyReused extends Error {
  readonly code = "IDEMPOTENCY_KEY_REUSED";
  constructor(readonly key: string) {
    super(`Idempotency-Key "${key}" was already used for a different request`);
  }
}

export interface CommandResult {
  readonly status: number;
  readonly body: { readonly [key: string]: Json };
  /** true when the response is the stored first response of a retried idempotency key. */
  readonly replayed?: boolean;
}

export interface CommandContext {
  readonly tenant: TenantId;
  readonly idempotencyKey?: string | undefined;
  /** Stable digest of the request (route + body) the key is bound to. */
  readonly fingerprint: string;
  /** The version the client loaded, if it named one. */
  readonly expectedVersion?: number | undefined;
}

export interface AggregateCodec<A> {
  readonly type: string;
  readonly stream: string;
  toState(a: A): { [key: string]: Json };
  fromState(s: { readonly [key: string]: Json }): A;
}

interface IdempotencyEntry {
  key: string;
  fingerprint: string;
  status: number;
  body: { [key: string]: Json };
}

interface Envelope {
  aggregate: { [key: string]: Json };
  idempotency: IdempotencyEntry[];
}

/** A decision plus the response to give once we know the new version. */
export interface Outcome<A> extends Decision<A> {
  respond(version: number): CommandResult;
}

/** Stable UUID from parts (ids derived from an idempotency key repeat on retry). */
export function derivedId(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function newId(): string {
  return randomUUID();
}

/** Storage key of an aggregate: tenant first, so no lookup can cross tenants. */
export function tenantKey(tenant: TenantId, id: string): string {
  return `${tenant.value}/${id}`;
}

export class Aggregates<A> {
  constructor(
    private readonly storage: AggregateStorage,
    private readonly codec: AggregateCodec<A>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async get(tenant: TenantId, id: string): Promise<{ aggregate: A; version: number } | undefined> {
    const rec = await this.storage.load(this.codec.type, tenantKey(tenant, id));
    if (!rec) return undefined;
    return { aggregate: this.codec.fromState((rec.state as unknown as Envelope).aggregate), version: rec.version };
  }

  /** Loads, decides, saves; retries a lost race unless the client named a version. */
  async execute(ctx: CommandContext, id: string, decide: (current: A | undefined) => Outcome<A>): Promise<CommandResult> {
    const key = tenantKey(ctx.tenant, id);
    for (let attempt = 1; ; attempt++) {
      const rec = await this.storage.load(this.codec.type, key);
      const envelope = rec?.state as unknown as Envelope | undefined;
      const actual = rec?.version ?? 0;
      if (ctx.idempotencyKey !== undefined) {
        const seen = envelope?.idempotency.find((e) => e.key === ctx.idempotencyKey);
        if (seen) {
          if (seen.fingerprint !== ctx.fingerprint) throw new IdempotencyKeyReused(ctx.idempotencyKey);
          return { status: seen.status, body: seen.body, replayed: true };
        }
      }
      if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== actual) throw new StaleVersion(ctx.expectedVersion, actual);
      const outcome = decide(envelope ? this.codec.fromState(envelope.aggregate) : undefined);
      const version = actual + 1;
      const result = outcome.respond(version);
      const idempotency = envelope ? [...envelope.idempotency] : [];
      if (ctx.idempotencyKey !== undefined) {
        idempotency.push({ key: ctx.idempotencyKey, fingerprint: ctx.fingerprint, status: result.status, body: result.body as { [key: string]: Json } });
        while (idempotency.length > IDEMPOTENCY_WINDOW) idempotency.shift();
      }
      const state: Envelope = { aggregate: this.codec.toState(outcome.next), idempotency };
      try {
        await this.storage.save({
          type: this.codec.type,
          id: key,
          expectedVersion: actual,
          state: state as unknown as { [key: string]: Json },
          events: outcome.events.map((e) => this.outboxEvent(e, key, version)),
        });
        return result;
      } catch (e) {
        if (!(e instanceof StorageConflict)) throw e;
        if (ctx.expectedVersion !== undefined || attempt >= MAX_ATTEMPTS) throw new StaleVersion(ctx.expectedVersion ?? actual, actual + 1);
        // another command on this aggregate won the race: reload and decide again, after a short random pause
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }

  private outboxEvent(e: DomainEvent, orderingKey: string, version: number): OutboxEvent {
    return {
      id: newId(),
      stream: this.codec.stream,
      type: e.type,
      orderingKey,
      data: { ...e.data, aggregateVersion: version, occurredAt: this.clock().toISOString() },
    };
  }
}
