/**
 * WriteStore in the Postgres dialect (used by the postgres and pglite
 * adapters). One table of aggregates, one outbox table; a save is one
 * single statement (so one transaction and one round trip): a
 * version-guarded INSERT or UPDATE of the state and, only if it wrote a row,
 * the INSERT of the events into the outbox (event_id unique).
 */
import { ConcurrencyError, DuplicateEventError } from "../../errors";
import type { AggregateRecord, JsonObject, OutboxEntry, OutboxParking, ParkedOutboxEntry, PendingEvent, SaveRequest, WriteStore } from "../../ports";
import { sqlState, type SqlClient } from "./client";

export function writeStoreDdl(schema: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.hp_aggregates (
  type text NOT NULL,
  id text NOT NULL,
  version integer NOT NULL,
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (type, id)
);
CREATE TABLE IF NOT EXISTS ${schema}.hp_outbox (
  position bigserial PRIMARY KEY,
  event_id text NOT NULL UNIQUE,
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  stream text NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  ordering_key text,
  attributes jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX IF NOT EXISTS hp_outbox_pending ON ${schema}.hp_outbox (position) WHERE sent_at IS NULL;
ALTER TABLE ${schema}.hp_outbox ADD COLUMN IF NOT EXISTS parked_at timestamptz;
ALTER TABLE ${schema}.hp_outbox ADD COLUMN IF NOT EXISTS park_reason text;
CREATE INDEX IF NOT EXISTS hp_outbox_parked ON ${schema}.hp_outbox (aggregate_type, aggregate_id) WHERE parked_at IS NOT NULL AND sent_at IS NULL;
`;
}

interface OutboxRow extends Record<string, unknown> {
  position: string | number | bigint;
  event_id: string;
  aggregate_type: string;
  aggregate_id: string;
  stream: string;
  type: string;
  data: unknown;
  ordering_key: string | null;
  attributes: unknown;
  parked_at?: string | Date | null;
  park_reason?: string | null;
}

const OUTBOX_COLUMNS = "position, event_id, aggregate_type, aggregate_id, stream, type, data, ordering_key, attributes";

const parseJson = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    position: String(row.position),
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    event: {
      id: row.event_id,
      stream: row.stream,
      type: row.type,
      data: parseJson(row.data),
      ...(row.ordering_key !== null ? { orderingKey: row.ordering_key } : {}),
      attributes: parseJson(row.attributes) as Record<string, string>,
    },
  };
}

export class SqlWriteStore implements WriteStore, OutboxParking {
  constructor(
    readonly kind: string,
    private readonly client: SqlClient,
    private readonly schema: string,
    private readonly onClose: () => Promise<void>,
  ) {}

  async ping(): Promise<void> {
    await this.client.query("SELECT 1");
  }

  async load(type: string, id: string): Promise<AggregateRecord | undefined> {
    const rows = await this.client.query<{ version: number; state: unknown }>(`SELECT version, state FROM ${this.schema}.hp_aggregates WHERE type = $1 AND id = $2`, [type, id]);
    const row = rows[0];
    return row ? { type, id, version: Number(row.version), state: parseJson(row.state) as JsonObject } : undefined;
  }

  async save(request: SaveRequest): Promise<AggregateRecord> {
    const seen = new Set<string>();
    for (const e of request.events) {
      if (seen.has(e.id)) throw new DuplicateEventError(e.id, this.kind);
      seen.add(e.id);
    }
    const state = JSON.stringify(request.state);
    const r = request;
    // One statement is one transaction: the version-guarded state write and the
    // outbox rows (only if the state was written) commit or fail together, in
    // one round trip.
    const stateWrite =
      r.expectedVersion === 0
        ? `INSERT INTO ${this.schema}.hp_aggregates (type, id, version, state) SELECT $1, $2, 1, $4::jsonb WHERE $3::int = 0 ON CONFLICT (type, id) DO NOTHING RETURNING version`
        : `UPDATE ${this.schema}.hp_aggregates SET version = version + 1, state = $4::jsonb, updated_at = now() WHERE type = $1 AND id = $2 AND version = $3 RETURNING version`;
    const sql = `WITH s AS (${stateWrite}),
      o AS (
        INSERT INTO ${this.schema}.hp_outbox (event_id, aggregate_type, aggregate_id, stream, type, data, ordering_key, attributes)
        SELECT e.event_id, $1, $2, e.stream, e.type, e.data::jsonb, e.ordering_key, e.attributes::jsonb
        FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) WITH ORDINALITY AS e(event_id, stream, type, data, ordering_key, attributes, ord)
        WHERE EXISTS (SELECT 1 FROM s)
        ORDER BY e.ord
        RETURNING 1
      )
      SELECT (SELECT version FROM s) AS version, (SELECT count(*) FROM o) AS events`;
    const ev = r.events;
    const params = [
      r.type,
      r.id,
      r.expectedVersion,
      state,
      ev.map((e) => e.id),
      ev.map((e) => e.stream),
      ev.map((e) => e.type),
      ev.map((e) => JSON.stringify(e.data)),
      ev.map((e) => e.orderingKey ?? null),
      ev.map((e) => JSON.stringify(e.attributes ?? {})),
    ];
    let rows: { version: number | null }[];
    try {
      // prepared once per connection: the text depends only on the schema and create-vs-update
      rows = await this.client.query<{ version: number | null }>(sql, params, `hp_save_${r.expectedVersion === 0 ? "create" : "update"}_${this.schema}`);
    } catch (e) {
      if (sqlState(e) === "23505") {
        const dup = ev.length ? await this.firstStoredEventId(ev) : undefined;
        throw new DuplicateEventError(dup ?? ev[0]?.id ?? "?", this.kind);
      }
      throw e;
    }
    const version = rows[0]?.version;
    if (version === null || version === undefined) throw new ConcurrencyError(r.type, r.id, r.expectedVersion, await this.currentVersion(r));
    return { type: r.type, id: r.id, version: Number(version), state: JSON.parse(state) as JsonObject };
  }

  private async firstStoredEventId(events: readonly PendingEvent[]): Promise<string | undefined> {
    const rows = await this.client.query<{ event_id: string }>(`SELECT event_id FROM ${this.schema}.hp_outbox WHERE event_id = ANY($1::text[])`, [events.map((e) => e.id)]);
    const stored = new Set(rows.map((r) => r.event_id));
    return events.find((e) => stored.has(e.id))?.id;
  }

  private async currentVersion(r: SaveRequest): Promise<number> {
    return (await this.load(r.type, r.id))?.version ?? 0;
  }

  /** Unsent entries, oldest first, except parked ones and everything after them of the same aggregate. */
  async pendingOutbox(limit: number): Promise<OutboxEntry[]> {
    const t = `${this.schema}.hp_outbox`;
    const rows = await this.client.query<OutboxRow>(
      `SELECT ${OUTBOX_COLUMNS} FROM ${t} o WHERE o.sent_at IS NULL AND o.parked_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM ${t} p WHERE p.parked_at IS NOT NULL AND p.sent_at IS NULL AND p.aggregate_type = o.aggregate_type AND p.aggregate_id = o.aggregate_id AND p.position < o.position)
       ORDER BY o.position LIMIT $1`,
      [limit],
    );
    return rows.map(toEntry);
  }

  async parkOutbox(position: string, reason: string): Promise<void> {
    await this.client.query(`UPDATE ${this.schema}.hp_outbox SET parked_at = now(), park_reason = $2 WHERE position = $1::bigint AND sent_at IS NULL`, [position, reason]);
  }

  async parkedOutbox(limit: number): Promise<ParkedOutboxEntry[]> {
    const rows = await this.client.query<OutboxRow>(
      `SELECT ${OUTBOX_COLUMNS}, parked_at, park_reason FROM ${this.schema}.hp_outbox WHERE parked_at IS NOT NULL AND sent_at IS NULL ORDER BY position LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({ ...toEntry(row), reason: row.park_reason ?? "", parkedAt: new Date(row.parked_at ?? 0).toISOString() }));
  }

  async unparkOutbox(positions?: readonly string[]): Promise<number> {
    const t = `${this.schema}.hp_outbox`;
    const rows = positions
      ? await this.client.query(`UPDATE ${t} SET parked_at = NULL, park_reason = NULL WHERE parked_at IS NOT NULL AND position = ANY($1::bigint[]) RETURNING 1`, [positions.map(String)])
      : await this.client.query(`UPDATE ${t} SET parked_at = NULL, park_reason = NULL WHERE parked_at IS NOT NULL RETURNING 1`);
    return rows.length;
  }

  async markSent(positions: readonly string[]): Promise<void> {
    if (positions.length === 0) return;
    await this.client.query(`UPDATE ${this.schema}.hp_outbox SET sent_at = now() WHERE position = ANY($1::bigint[]) AND sent_at IS NULL`, [positions.map(String)]);
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
