/**
 * WriteStore on Firestore in Datastore mode (and the Datastore emulator).
 *
 * Kinds (all in the configured namespace):
 * - `Aggregate`, key `<type>:<id>`: type, id, version, state (JSON text, not
 *   indexed), lastPosition (the time part of its newest outbox position).
 * - `Outbox`, key = position: sent (indexed), aggregateType, aggregateId,
 *   eventId, event (JSON text, not indexed). Listing unsent entries is an
 *   equality filter in key order, which the built-in indexes answer: no
 *   composite index has to be provisioned.
 * - `OutboxEvent`, key = event id: the position it was written at. It makes a
 *   repeated event id visible inside the save transaction.
 * - `ParkedOutbox`, key = position of a parked entry: aggregateType,
 *   aggregateId, reason, parkedAt (OutboxParking). pendingOutbox() leaves out
 *   a parked entry and the later entries of its aggregate.
 *
 * A position is `<µs time, 17 digits>-<type>:<id>-<version, 10 digits>-<index, 4 digits>`;
 * its time is at least one more than the aggregate's previous one, so the
 * entries of one aggregate sort in save order even across clock skew.
 *
 * save() runs in one Datastore transaction: it reads the aggregate and the
 * event-id markers, checks the expected version and the event ids, then
 * writes the state, the outbox entries and the markers; a transaction aborted
 * by contention is retried, and then fails the version check.
 */
import { Datastore, PropertyFilter, type Key } from "@google-cloud/datastore";
import { credentials } from "@grpc/grpc-js";
import { adapterClosed, backendUnreachable, ConcurrencyError, DuplicateEventError } from "../../errors";
import type { AggregateRecord, JsonObject, OutboxEntry, OutboxParking, ParkedOutboxEntry, PendingEvent, SaveRequest, WriteStore } from "../../ports";
import { datastoreSettings, type DatastoreManifest, type DatastoreSettings, type DatastoreWriteStoreOptions } from "./settings";

export { datastoreSettings } from "./settings";
export type { DatastoreManifest, DatastoreSettings, DatastoreWriteStoreOptions } from "./settings";

const BACKEND = "datastore";
const KIND = { aggregate: "Aggregate", outbox: "Outbox", outboxEvent: "OutboxEvent", parked: "ParkedOutbox" } as const;
/** gRPC ABORTED: a transaction lost to a concurrent one. */
const ABORTED = 10;
/** Entities read per query page or lookup (a lookup's limit), and mutations per commit (Datastore's limit). */
const PAGE = 1_000;
const MUTATIONS_PER_COMMIT = 500;

/** Connects to Datastore (or the emulator at `emulatorHost`). */
export function createDatastoreWriteStore(manifest: DatastoreManifest, options: DatastoreWriteStoreOptions = {}): DatastoreWriteStore {
  return new DatastoreWriteStore(datastoreSettings(manifest, options));
}

interface AggregateEntity {
  type: string;
  id: string;
  version: number;
  state: string;
  lastPosition: number;
}

interface OutboxEntity {
  sent: boolean;
  aggregateType: string;
  aggregateId: string;
  eventId: string;
  event: string;
  sentAt?: Date | null;
}

let lastIssuedMicros = 0;
/** A process-wide increasing microsecond clock, never below `floor`. */
function nextMicros(floor: number): number {
  lastIssuedMicros = Math.max(Date.now() * 1000, lastIssuedMicros + 1, floor);
  return lastIssuedMicros;
}

function position(micros: number, type: string, id: string, version: number, index: number): string {
  return `${String(micros).padStart(17, "0")}-${type}:${id}-${String(version).padStart(10, "0")}-${String(index).padStart(4, "0")}`;
}

function keyName(key: Key): string {
  return String(key.name ?? key.id);
}

interface ParkedEntity {
  aggregateType: string;
  aggregateId: string;
  reason: string;
  parkedAt: Date;
}

export class DatastoreWriteStore implements WriteStore, OutboxParking {
  readonly kind = "datastore";
  readonly client: Datastore;
  private closed: Promise<void> | undefined;

  constructor(readonly settings: DatastoreSettings) {
    this.client = new Datastore({
      projectId: settings.projectId,
      ...(settings.databaseId ? { databaseId: settings.databaseId } : {}),
      ...(settings.namespace ? { namespace: settings.namespace } : {}),
      ...(settings.emulatorHost ? { apiEndpoint: settings.emulatorHost, sslCreds: credentials.createInsecure() } : {}),
    });
  }

  private where(): string {
    return this.settings.emulatorHost ?? `project ${this.settings.projectId}`;
  }

  private assertOpen(): void {
    if (this.closed) throw adapterClosed(BACKEND);
  }

  private key(kind: string, name: string): Key {
    return this.client.key({ path: [kind, name], ...(this.settings.namespace ? { namespace: this.settings.namespace } : {}) });
  }

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      await this.client.get(this.key("HexPropertyPing", "ping"), { gaxOptions: { timeout: 5_000 } });
    } catch (e) {
      throw backendUnreachable("WriteStore", BACKEND, this.where(), brief(e));
    }
  }

  async load(type: string, id: string): Promise<AggregateRecord | undefined> {
    this.assertOpen();
    const [entity] = (await this.client.get(this.key(KIND.aggregate, `${type}:${id}`))) as [AggregateEntity | undefined];
    return entity ? { type, id, version: Number(entity.version), state: JSON.parse(entity.state) as JsonObject } : undefined;
  }

  async save(request: SaveRequest): Promise<AggregateRecord> {
    this.assertOpen();
    const seen = new Set<string>();
    for (const e of request.events) {
      if (seen.has(e.id)) throw new DuplicateEventError(e.id, BACKEND);
      seen.add(e.id);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.saveOnce(request);
      } catch (e) {
        const aborted = (e as { code?: unknown } | null)?.code === ABORTED;
        if (!aborted || attempt >= this.settings.maxTransactionRetries) throw e;
        await new Promise((r) => setTimeout(r, Math.min(1000, 10 * 2 ** attempt) * (0.5 + Math.random())));
      }
    }
  }

  private async saveOnce(request: SaveRequest): Promise<AggregateRecord> {
    const { type, id, expectedVersion, state, events } = request;
    const aggregateKey = this.key(KIND.aggregate, `${type}:${id}`);
    const markerKeys = events.map((e) => this.key(KIND.outboxEvent, e.id));
    const tx = this.client.transaction();
    await tx.run();
    try {
      const [found] = (await tx.get([aggregateKey, ...markerKeys])) as [Record<string | symbol, unknown>[]];
      let current: AggregateEntity | undefined;
      const existingEvents = new Set<string>();
      for (const entity of found) {
        const key = entity[this.client.KEY as unknown as symbol] as Key;
        if (key.kind === KIND.aggregate) current = entity as unknown as AggregateEntity;
        else existingEvents.add(keyName(key));
      }
      const actual = current ? Number(current.version) : 0;
      if (actual !== expectedVersion) throw new ConcurrencyError(type, id, expectedVersion, actual);
      const duplicate = events.find((e) => existingEvents.has(e.id));
      if (duplicate) throw new DuplicateEventError(duplicate.id, BACKEND);

      const version = expectedVersion + 1;
      const micros = events.length > 0 ? nextMicros(Number(current?.lastPosition ?? 0) + 1) : Number(current?.lastPosition ?? 0);
      const aggregate: AggregateEntity = { type, id, version, state: JSON.stringify(state), lastPosition: micros };
      tx.save({ key: aggregateKey, data: aggregate, excludeFromIndexes: ["state"] });
      events.forEach((event, index) => {
        const pos = position(micros, type, id, version, index);
        const outbox: OutboxEntity = { sent: false, aggregateType: type, aggregateId: id, eventId: event.id, event: JSON.stringify(event) };
        tx.save({ key: this.key(KIND.outbox, pos), data: outbox, excludeFromIndexes: ["event"] });
        tx.save({ key: markerKeys[index]!, data: { position: pos } });
      });
      await tx.commit();
      return { type, id, version, state };
    } catch (e) {
      await tx.rollback().catch(() => undefined);
      throw e;
    }
  }

  /** Unsent entries in key order, except parked ones and the later entries of their aggregates. */
  async pendingOutbox(limit: number): Promise<OutboxEntry[]> {
    this.assertOpen();
    // parked positions per aggregate: everything of that aggregate from the first parked position on waits
    const parkedFrom = new Map<string, string>();
    for (const { position, entity } of await this.parkedEntities()) {
      const agg = `${entity.aggregateType}\u0000${entity.aggregateId}`;
      const first = parkedFrom.get(agg);
      if (first === undefined || position < first) parkedFrom.set(agg, position);
    }
    const out: OutboxEntry[] = [];
    let cursor: string | undefined;
    for (;;) {
      let query = this.client
        .createQuery(KIND.outbox)
        .filter(new PropertyFilter("sent", "=", false))
        .order("__key__")
        .limit(parkedFrom.size ? Math.max(limit, 100) : limit);
      if (cursor) query = query.start(cursor);
      const [entities, info] = (await this.client.runQuery(query)) as [Record<string | symbol, unknown>[], { endCursor?: string; moreResults?: string }];
      for (const entity of entities) {
        const e = entity as unknown as OutboxEntity;
        const pos = keyName(entity[this.client.KEY as unknown as symbol] as Key);
        const from = parkedFrom.get(`${e.aggregateType}\u0000${e.aggregateId}`);
        if (from !== undefined && pos >= from) continue;
        out.push({ position: pos, aggregateType: e.aggregateType, aggregateId: e.aggregateId, event: JSON.parse(e.event) as PendingEvent });
        if (out.length >= limit) return out;
      }
      if (entities.length === 0 || !info.endCursor || info.moreResults === "NO_MORE_RESULTS" || parkedFrom.size === 0) return out;
      cursor = info.endCursor;
    }
  }

  /** Parked entries in key (position) order: `limit` of them, or all (read page by page: none is ever left out). */
  private async parkedEntities(limit = Infinity): Promise<{ position: string; entity: ParkedEntity }[]> {
    const out: { position: string; entity: ParkedEntity }[] = [];
    let cursor: string | undefined;
    while (out.length < limit) {
      let query = this.client.createQuery(KIND.parked).order("__key__").limit(Math.min(PAGE, limit - out.length));
      if (cursor) query = query.start(cursor);
      const [entities, info] = (await this.client.runQuery(query)) as [Record<string | symbol, unknown>[], { endCursor?: string; moreResults?: string }];
      for (const entity of entities) out.push({ position: keyName(entity[this.client.KEY as unknown as symbol] as Key), entity: entity as unknown as ParkedEntity });
      if (entities.length === 0 || !info.endCursor || info.moreResults === "NO_MORE_RESULTS") break;
      cursor = info.endCursor;
    }
    return out;
  }

  async parkOutbox(position: string, reason: string): Promise<void> {
    this.assertOpen();
    const [found] = (await this.client.get(this.key(KIND.outbox, position))) as [OutboxEntity | undefined];
    if (!found || found.sent === true) return;
    const data: ParkedEntity = { aggregateType: found.aggregateType, aggregateId: found.aggregateId, reason, parkedAt: new Date() };
    await this.client.upsert({ key: this.key(KIND.parked, position), data, excludeFromIndexes: ["reason"] });
  }

  async parkedOutbox(limit: number): Promise<ParkedOutboxEntry[]> {
    this.assertOpen();
    const parked = await this.parkedEntities(limit);
    if (parked.length === 0) return [];
    const found: Record<string | symbol, unknown>[] = [];
    // a lookup takes at most 1,000 keys
    for (let i = 0; i < parked.length; i += PAGE) {
      const [page] = (await this.client.get(parked.slice(i, i + PAGE).map((p) => this.key(KIND.outbox, p.position)))) as [Record<string | symbol, unknown>[]];
      found.push(...page);
    }
    const byPosition = new Map(found.map((entity) => [keyName(entity[this.client.KEY as unknown as symbol] as Key), entity as unknown as OutboxEntity]));
    return parked.flatMap(({ position, entity }) => {
      const e = byPosition.get(position);
      if (!e || e.sent === true) return [];
      return [{ position, aggregateType: e.aggregateType, aggregateId: e.aggregateId, event: JSON.parse(e.event) as PendingEvent, reason: entity.reason, parkedAt: new Date(entity.parkedAt).toISOString() }];
    });
  }

  async unparkOutbox(positions?: readonly string[]): Promise<number> {
    this.assertOpen();
    const all = (await this.parkedEntities()).map((p) => p.position);
    const wanted = positions ? new Set(positions) : undefined;
    const chosen = wanted ? all.filter((p) => wanted.has(p)) : all;
    // a commit takes at most 500 mutations
    for (let i = 0; i < chosen.length; i += MUTATIONS_PER_COMMIT) await this.client.delete(chosen.slice(i, i + MUTATIONS_PER_COMMIT).map((p) => this.key(KIND.parked, p)));
    return chosen.length;
  }

  async markSent(positions: readonly string[]): Promise<void> {
    this.assertOpen();
    if (positions.length === 0) return;
    const keys = positions.map((p) => this.key(KIND.outbox, p));
    const [found] = (await this.client.get(keys)) as [Record<string | symbol, unknown>[]];
    const updates = found
      .filter((entity) => (entity as unknown as OutboxEntity).sent !== true)
      .map((entity) => {
        const e = entity as unknown as OutboxEntity;
        const data: OutboxEntity = { sent: true, aggregateType: e.aggregateType, aggregateId: e.aggregateId, eventId: e.eventId, event: e.event, sentAt: new Date() };
        return { key: entity[this.client.KEY as unknown as symbol] as Key, data, excludeFromIndexes: ["event"] };
      });
    if (updates.length > 0) await this.client.upsert(updates);
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await Promise.allSettled([...this.client.clients_.values()].map((c) => (c as unknown as { close?: () => Promise<void> }).close?.()));
    })();
    return this.closed;
  }
}

/** The first line of a client error, without the client's list of every retried attempt. */
function brief(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split(" : Previous errors")[0]!.replace(/\s+/g, " ").trim();
}
