/**
 * ReadStore on PGlite: one row per unit guarded by version, and a table of
 * applied event ids (dedupe), both written in one transaction.
 */
import type { ReadStoreManifest } from "../../manifest/schema";
import type { Occupancy, ProjectionResult, ReadStore, UnitQuery, UnitView } from "../../ports";
import type { SqlClient } from "../sql/client";
import { acquirePglite, pgliteClient } from "./database";
import { pgliteSettings, type PgliteOptions } from "./settings";
import { UNIT_COLUMNS, unitViewFromRow, type UnitRow as BaseUnitRow } from "../unit-row";

type UnitRow = BaseUnitRow & Record<string, unknown>;

export function readStoreDdl(schema: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.hp_units (
  unit_id text PRIMARY KEY,
  property_id text NOT NULL,
  city text NOT NULL,
  bedrooms integer NOT NULL,
  rent_cents bigint NOT NULL,
  currency text NOT NULL,
  status text NOT NULL,
  version integer NOT NULL,
  updated_at text NOT NULL
);
CREATE INDEX IF NOT EXISTS hp_units_city ON ${schema}.hp_units (city, rent_cents);
CREATE INDEX IF NOT EXISTS hp_units_property ON ${schema}.hp_units (property_id);
CREATE TABLE IF NOT EXISTS ${schema}.hp_applied_events (
  event_id text PRIMARY KEY,
  unit_id text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
`;
}


const toView = (row: UnitRow): UnitView => unitViewFromRow(row);

export class PgliteReadStore implements ReadStore {
  readonly kind = "pglite";
  constructor(
    private readonly client: SqlClient,
    private readonly schema: string,
    private readonly release: () => Promise<void>,
  ) {}

  async ping(): Promise<void> {
    await this.client.query("SELECT 1");
  }

  async upsertUnit(view: UnitView, eventId: string): Promise<ProjectionResult> {
    return this.client.transaction(async (tx) => {
      const fresh = await tx.query(`INSERT INTO ${this.schema}.hp_applied_events (event_id, unit_id) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`, [eventId, view.unitId]);
      if (fresh.length === 0) return "duplicate";
      const written = await tx.query(
        `INSERT INTO ${this.schema}.hp_units (${UNIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (unit_id) DO UPDATE SET property_id = excluded.property_id, city = excluded.city, bedrooms = excluded.bedrooms,
           rent_cents = excluded.rent_cents, currency = excluded.currency, status = excluded.status, version = excluded.version, updated_at = excluded.updated_at
         WHERE ${this.schema}.hp_units.version < excluded.version
         RETURNING unit_id`,
        [view.unitId, view.propertyId, view.city, view.bedrooms, view.rentCents, view.currency, view.status, view.version, view.updatedAt],
      );
      return written.length === 0 ? "stale" : "applied";
    });
  }

  async getUnit(unitId: string): Promise<UnitView | undefined> {
    const rows = await this.client.query<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM ${this.schema}.hp_units WHERE unit_id = $1`, [unitId]);
    return rows[0] ? toView(rows[0]) : undefined;
  }

  async searchUnits(q: UnitQuery): Promise<UnitView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace("?", `$${params.length}`));
    };
    if (q.city !== undefined) add("city = ?", q.city);
    if (q.maxRentCents !== undefined) add("rent_cents <= ?", q.maxRentCents);
    if (q.minBedrooms !== undefined) add("bedrooms >= ?", q.minBedrooms);
    if (q.status !== undefined) add("status = ?", q.status);
    params.push(q.limit ?? 100);
    const rows = await this.client.query<UnitRow>(
      `SELECT ${UNIT_COLUMNS} FROM ${this.schema}.hp_units ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY rent_cents, unit_id LIMIT $${params.length}`,
      params,
    );
    return rows.map(toView);
  }

  async occupancy(propertyId: string): Promise<Occupancy> {
    const rows = await this.client.query<{ units: number | string; leased: number | string }>(
      `SELECT count(*) AS units, count(*) FILTER (WHERE status = 'leased') AS leased FROM ${this.schema}.hp_units WHERE property_id = $1`,
      [propertyId],
    );
    return { propertyId, units: Number(rows[0]?.units ?? 0), leased: Number(rows[0]?.leased ?? 0) };
  }

  async close(): Promise<void> {
    await this.release();
  }
}

export async function createPgliteReadStore(manifest: Extract<ReadStoreManifest, { kind: "pglite" }>, options: PgliteOptions = {}): Promise<PgliteReadStore> {
  const settings = pgliteSettings(manifest, options);
  const { db, release } = await acquirePglite(settings.dataDir);
  try {
    const client = pgliteClient(db);
    await client.exec(readStoreDdl(settings.schema));
    return new PgliteReadStore(client, settings.schema, release);
  } catch (e) {
    await release();
    throw e;
  }
}
