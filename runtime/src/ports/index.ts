/**
 * The runtime's building blocks: one small interface per port. Optional
 * abilities are separate interfaces, detected with the `has*` guards, never
 * assumed. Every adapter (embedded, portable, gcp) implements these unchanged,
 * and one conformance suite per port runs against every adapter.
 */

export { ConcurrencyError, DuplicateEventError, isConcurrencyError, isDuplicateEventError } from "../errors";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Something that holds connections and can be closed (idempotently). */
export interface Closable {
  close(): Promise<void>;
}

/** Something that can prove its backend answers (a real round trip). */
export interface Pingable {
  ping(): Promise<void>;
}

// ---------------------------------------------------------------- EventBus

/** An event as a producer hands it to the bus. */
export interface OutgoingEvent {
  /** Globally unique event id; consumers deduplicate on it. */
  readonly id: string;
  /** Event type, e.g. "property.UnitListed". */
  readonly type: string;
  readonly data: JsonValue;
  /** Events with the same key are delivered in publish order. */
  readonly orderingKey?: string;
  /** String attributes (trace context travels here). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** An event as a consumer receives it. */
export interface EventMessage extends OutgoingEvent {
  readonly stream: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * One delivery of a message to a subscription. Settle it exactly once.
 *
 * Ack deadline: the subscription's ackDeadlineSeconds is a lease that the
 * adapter extends while the handler runs, up to the adapter's
 * maxAckExtensionMs (default 60 minutes). A handler slower than the ack
 * deadline runs once, never concurrently with itself, and its ack counts; a
 * delivery still unsettled after the maximum extension is nacked.
 */
export interface Delivery {
  readonly message: EventMessage;
  /** 1 on first delivery, then counts redeliveries. */
  readonly attempt: number;
  ack(): Promise<void>;
  /** Asks for redelivery; after maxDeliveryAttempts the message goes to the dead-letter topic. */
  nack(): Promise<void>;
}

/** A handler that returns without settling acks; one that throws nacks. */
export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

export interface SubscriptionHandle {
  /**
   * Stops taking new deliveries and waits for in-flight handlers (graceful
   * drain) for at most the adapter's drainTimeoutMs (default 10 s); deliveries
   * still running then are nacked (they go to the next subscriber).
   */
  close(): Promise<void>;
}

export interface EventBus extends Closable, Pingable {
  readonly kind: string;
  /** Publishes to a stream named in the manifest (`eventBus.streams`). */
  publish(stream: string, event: OutgoingEvent): Promise<void>;
  /** Consumes as a subscription named in the manifest (`eventBus.subscriptions`). */
  subscribe(subscription: string, handler: DeliveryHandler): Promise<SubscriptionHandle>;
}

/** Optional: read what ended up on a stream's dead-letter topic. */
export interface DeadLetterReader {
  /** Returns (and removes) up to `max` dead-lettered messages of a stream, waiting at most `timeoutMs`. */
  takeDeadLetters(stream: string, max: number, timeoutMs: number): Promise<EventMessage[]>;
}
export function hasDeadLetterReader(bus: EventBus): bus is EventBus & DeadLetterReader {
  return typeof (bus as Partial<DeadLetterReader>).takeDeadLetters === "function";
}

/** What a backend's health check found: "degraded" while an outage lasts (the adapter keeps retrying). */
export interface Health {
  readonly status: "ok" | "degraded";
  /** One line per current problem; empty when ok. */
  readonly problems: readonly string[];
}

/** Optional: reports the backend's current health without a round trip (ping() also fails while degraded). */
export interface HealthReporter {
  health(): Health;
}
export function hasHealthReporter(x: object): x is HealthReporter {
  return typeof (x as Partial<HealthReporter>).health === "function";
}

/** Optional: create the streams and subscriptions of the manifest (local profiles; the stacks do it in the cloud). */
export interface TopologyProvisioner {
  ensureTopology(): Promise<void>;
}
export function hasTopologyProvisioner(x: object): x is TopologyProvisioner {
  return typeof (x as Partial<TopologyProvisioner>).ensureTopology === "function";
}

// ---------------------------------------------------------------- WriteStore

export interface AggregateRecord {
  readonly type: string;
  readonly id: string;
  /** 1 after the first save; increases by one per save. */
  readonly version: number;
  readonly state: JsonObject;
}

/** An event to be written to the outbox with the state change. */
export interface PendingEvent extends OutgoingEvent {
  readonly stream: string;
}

export interface SaveRequest {
  readonly type: string;
  readonly id: string;
  /** Version the caller loaded; 0 for a new aggregate. */
  readonly expectedVersion: number;
  readonly state: JsonObject;
  /** Saved in the same transaction as the state (transactional outbox). */
  readonly events: readonly PendingEvent[];
}

export interface OutboxEntry {
  /** Store-assigned position; entries of one aggregate come in order. */
  readonly position: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly event: PendingEvent;
}

/** An outbox entry the relay gave up on for now (it kept failing); later entries of its aggregate wait behind it. */
export interface ParkedOutboxEntry extends OutboxEntry {
  readonly reason: string;
  /** ISO timestamp. */
  readonly parkedAt: string;
}

/**
 * Optional: park outbox entries that keep failing, so one poisoned entry does
 * not stall the relay. pendingOutbox() then leaves out a parked entry and every
 * later entry of its aggregate (per-aggregate order kept); other aggregates flow.
 */
export interface OutboxParking {
  parkOutbox(position: string, reason: string): Promise<void>;
  /** Parked entries, oldest first. */
  parkedOutbox(limit: number): Promise<ParkedOutboxEntry[]>;
  /** Returns parked entries (all when `positions` is omitted) to the pending outbox; resolves with how many. */
  unparkOutbox(positions?: readonly string[]): Promise<number>;
}
export function hasOutboxParking(store: WriteStore): store is WriteStore & OutboxParking {
  return typeof (store as Partial<OutboxParking>).parkOutbox === "function";
}

export interface WriteStore extends Closable, Pingable {
  readonly kind: string;
  load(type: string, id: string): Promise<AggregateRecord | undefined>;
  /**
   * Writes the state and the outbox entries in one transaction.
   * Throws ConcurrencyError when the stored version is not `expectedVersion`
   * (0 = must not exist yet), DuplicateEventError when an event id is already
   * in the outbox (sent or not) or repeats in the request; then nothing is written.
   */
  save(request: SaveRequest): Promise<AggregateRecord>;
  /** Unsent outbox entries, oldest first (in order per aggregate; events of one save in request order). */
  pendingOutbox(limit: number): Promise<OutboxEntry[]>;
  markSent(positions: readonly string[]): Promise<void>;
}

// ---------------------------------------------------------------- ReadStore

export interface UnitView {
  readonly unitId: string;
  readonly propertyId: string;
  readonly city: string;
  readonly bedrooms: number;
  readonly rentCents: number;
  readonly currency: string;
  readonly status: "available" | "leased" | "unlisted";
  /** Version of the source aggregate this row reflects. */
  readonly version: number;
  readonly updatedAt: string;
}

export interface UnitQuery {
  readonly city?: string;
  readonly maxRentCents?: number;
  readonly minBedrooms?: number;
  readonly status?: UnitView["status"];
  readonly limit?: number;
}

export interface Occupancy {
  readonly propertyId: string;
  readonly units: number;
  readonly leased: number;
}

/** applied: written; duplicate: event id seen before; stale: an equal or newer version is stored. */
export type ProjectionResult = "applied" | "duplicate" | "stale";

export interface ReadStore extends Closable, Pingable {
  readonly kind: string;
  /** Idempotent: keyed by event id and guarded by version. */
  upsertUnit(view: UnitView, eventId: string): Promise<ProjectionResult>;
  getUnit(unitId: string): Promise<UnitView | undefined>;
  /** Matching units ordered by rentCents, then unitId (ascending); `limit` defaults to 100. */
  searchUnits(query: UnitQuery): Promise<UnitView[]>;
  /** units: all rows of the property (any status); leased: its rows with status "leased". */
  occupancy(propertyId: string): Promise<Occupancy>;
}

// ---------------------------------------------------------------- Cache

export interface Cache extends Closable, Pingable {
  readonly kind: string;
  get<T extends JsonValue>(key: string): Promise<T | undefined>;
  set(key: string, value: JsonValue, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Concurrent callers for one missing key share one `load` (single-flight). */
  getOrLoad<T extends JsonValue>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
}

// ---------------------------------------------------------------- Telemetry

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Telemetry extends Closable {
  logger(component: string): Logger;
  /** Runs `fn` in a span; the span ends when the promise settles. */
  span<T>(name: string, fn: () => Promise<T>, attributes?: Record<string, string | number | boolean>): Promise<T>;
  /** Writes the active trace context into event attributes. */
  inject(attributes: Record<string, string>): Record<string, string>;
  /** Runs `fn` as a child of the trace context carried by event attributes. */
  withExtracted<T>(attributes: Readonly<Record<string, string>>, name: string, fn: () => Promise<T>): Promise<T>;
  counter(name: string, value?: number, attributes?: Record<string, string>): void;
  histogram(name: string, value: number, attributes?: Record<string, string>): void;
}

// ---------------------------------------------------------------- Flags

export interface Flags extends Closable {
  isEnabled(flag: string): boolean;
  all(): Readonly<Record<string, boolean>>;
  /** Called with the flags that changed; returns an unsubscribe function. */
  onChange(listener: (changed: Readonly<Record<string, boolean>>) => void): () => void;
}
