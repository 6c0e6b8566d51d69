/**
 * WriteStore in the Postgres dialect (used by the postgres and pglite
 * adapters). One table of aggregates, one outbox table; a save is one
 * transaction: a version-guarded INSERT or UPDATE of the state, then one
 * INSERT per event into the outbox (event_id unique).
 */
import { ConcurrencyError, DuplicateEventError } from "../../errors";
import type { AggregateRecord, JsonObject, OutboxEntry, PendingEvent, SaveRequest, WriteStore } from "../../ports";
import { sqlState, type SqlClient, type SqlExecutor } from "./client";

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
}

const parseJson = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

export class SqlWriteStore implements WriteStore {
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
    try {
      return await this.client.transaction(async (tx) => {
        const version = await this.writeState(tx, request, state);
        for (const e of request.events) await this.insertOutbox(tx, request, e);
        return { type: request.type, id: request.id, version, state: JSON.parse(state) as JsonObject };
      });
    } catch (e) {
      if (sqlState(e) === "23505") {
        const dup = request.events.length ? await this.firstStoredEventId(request.events) : undefined;
        if (dup !== undefined) throw new DuplicateEventError(dup, this.kind);
        throw new ConcurrencyError(request.type, request.id, request.expectedVersion, await this.currentVersion(request));
      }
      throw e;
    }
  }

  private async writeState(tx: SqlExecutor, r: SaveRequest, state: string): Promise<number> {
    const rows =
      r.expectedVersion === 0
        ? await tx.query<{ version: number }>(
            `INSERT INTO ${this.schema}.hp_aggregates (type, id, version, state) VALUES ($1, $2, 1, $3::jsonb) ON CONFLICT (type, id) DO NOTHING RETURNING version`,
            [r.type, r.id, state],
          )
        : await tx.query<{ version: number }>(
            `UPDATE ${this.schema}.hp_aggregates SET version = version + 1, state = $4::jsonb, updated_at = now() WHERE type = $1 AND id = $2 AND version = $3 RETURNING version`,
            [r.type, r.id, r.expectedVersion, state],
          );
    if (rows.length === 0) {
      const current = await tx.query<{ version: number }>(`SELECT version FROM ${this.schema}.hp_aggregates WHERE type = $1 AND id = $2`, [r.type, r.id]);
      throw new ConcurrencyError(r.type, r.id, r.expectedVersion, Number(current[0]?.version ?? 0));
    }
    return Number(rows[0]!.version);
  }

  private async insertOutbox(tx: SqlExecutor, r: SaveRequest, e: PendingEvent): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.schema}.hp_outbox (event_id, aggregate_type, aggregate_id, stream, type, data, ordering_key, attributes) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::jsonb)`,
      [e.id, r.type, r.id, e.stream, e.type, JSON.stringify(e.data), e.orderingKey ?? null, JSON.stringify(e.attributes ?? {})],
    );
  }

  private async firstStoredEventId(events: readonly PendingEvent[]): Promise<string | undefined> {
    const rows = await this.client.query<{ event_id: string }>(`SELECT event_id FROM ${this.schema}.hp_outbox WHERE event_id = ANY($1::text[])`, [events.map((e) => e.id)]);
    const stored = new Set(rows.map((r) => r.event_id));
    return events.find((e) => stored.has(e.id))?.id;
  }

  private async currentVersion(r: SaveRequest): Promise<number> {
    return (await this.load(r.type, r.id))?.version ?? 0;
  }

  async pendingOutbox(limit: number): Promise<OutboxEntry[]> {
    const rows = await this.client.query<OutboxRow>(
      `SELECT position, event_id, aggregate_type, aggregate_id, stream, type, data, ordering_key, attributes FROM ${this.schema}.hp_outbox WHERE sent_at IS NULL ORDER BY position LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
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
    }));
  }

  async markSent(positions: readonly string[]): Promise<void> {
    if (positions.length === 0) return;
    await this.client.query(`UPDATE ${this.schema}.hp_outbox SET sent_at = now() WHERE position = ANY($1::bigint[]) AND sent_at IS NULL`, [positions.map(String)]);
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
