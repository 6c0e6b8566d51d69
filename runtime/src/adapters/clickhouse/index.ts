/**
 * ReadStore on ClickHouse.
 *
 * Units live in a ReplacingMergeTree keyed by unit id with the aggregate
 * version as the replacing version, so the newest version wins whatever the
 * arrival order and a repeated row is harmless; queries read with FINAL.
 * Applied event ids live in their own ReplacingMergeTree: an event id seen
 * before answers "duplicate"; a version not newer than the stored one
 * answers "stale" (both checked before the insert).
 *
 * Written for old servers too (the Debian package is 18.16): plain String
 * columns, DateTime, and literals quoted here instead of query parameters.
 */
import type { ClickHouseClient } from "@clickhouse/client";
import { backendSetupFailed, backendUnreachable } from "../../errors";
import type { ReadStoreManifest } from "../../manifest/schema";
import type { Occupancy, ProjectionResult, ReadStore, UnitQuery, UnitView } from "../../ports";
import { clickHouseSettings, type ClickHouseOptions, type ClickHouseSettings } from "./settings";
import { UNIT_COLUMNS, unitViewFromRow, type UnitRow } from "../unit-row";

export * from "./settings";


/** A ClickHouse string literal. */
function str(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
/** An integer literal (rejects anything else, so nothing can be injected). */
function int(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TypeError(`clickhouse read store: expected an integer, got ${JSON.stringify(value)}`);
  return String(value);
}

const toView = (row: UnitRow): UnitView => unitViewFromRow(row);

export class ClickHouseReadStore implements ReadStore {
  readonly kind = "clickhouse";
  private readonly units: string;
  private readonly applied: string;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly settings: ClickHouseSettings,
  ) {
    this.units = `${settings.database}.${settings.tablePrefix}units`;
    this.applied = `${settings.database}.${settings.tablePrefix}applied_events`;
  }

  ddl(): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${this.units} (
        unit_id String, property_id String, city String, bedrooms UInt32, rent_cents Int64, currency String,
        status String, version UInt64, updated_at String
      ) ENGINE = ReplacingMergeTree(version) ORDER BY unit_id`,
      `CREATE TABLE IF NOT EXISTS ${this.applied} (
        event_id String, unit_id String, version UInt64, applied_at DateTime DEFAULT now()
      ) ENGINE = ReplacingMergeTree ORDER BY event_id`,
    ];
  }

  async migrate(): Promise<void> {
    for (const query of this.ddl()) await this.client.command({ query });
  }

  async ping(): Promise<void> {
    const r = await this.client.ping();
    if (!r.success) throw backendUnreachable("read store", "clickhouse", this.settings.url, r.error);
  }

  private async rows<T>(query: string): Promise<T[]> {
    const rs = await this.client.query({ query, format: "JSONEachRow" });
    return rs.json<T>();
  }

  async upsertUnit(view: UnitView, eventId: string): Promise<ProjectionResult> {
    const [seen] = await this.rows<{ n: string | number }>(`SELECT count() AS n FROM ${this.applied} WHERE event_id = ${str(eventId)}`);
    if (Number(seen?.n ?? 0) > 0) return "duplicate";
    const [stored] = await this.rows<{ v: string | number | null }>(`SELECT max(version) AS v FROM ${this.units} WHERE unit_id = ${str(view.unitId)}`);
    const storedVersion = Number(stored?.v ?? 0);
    const result: ProjectionResult = storedVersion >= view.version ? "stale" : "applied";
    if (result === "applied") {
      await this.client.insert({
        table: this.units,
        format: "JSONEachRow",
        values: [
          {
            unit_id: view.unitId,
            property_id: view.propertyId,
            city: view.city,
            bedrooms: view.bedrooms,
            rent_cents: view.rentCents,
            currency: view.currency,
            status: view.status,
            version: view.version,
            updated_at: view.updatedAt,
          },
        ],
      });
    }
    await this.client.insert({ table: this.applied, format: "JSONEachRow", values: [{ event_id: eventId, unit_id: view.unitId, version: view.version }] });
    return result;
  }

  async getUnit(unitId: string): Promise<UnitView | undefined> {
    const [row] = await this.rows<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM ${this.units} FINAL WHERE unit_id = ${str(unitId)} LIMIT 1`);
    return row ? toView(row) : undefined;
  }

  async searchUnits(q: UnitQuery): Promise<UnitView[]> {
    const where: string[] = [];
    if (q.city !== undefined) where.push(`city = ${str(q.city)}`);
    if (q.maxRentCents !== undefined) where.push(`rent_cents <= ${int(q.maxRentCents)}`);
    if (q.minBedrooms !== undefined) where.push(`bedrooms >= ${int(q.minBedrooms)}`);
    if (q.status !== undefined) where.push(`status = ${str(q.status)}`);
    const rows = await this.rows<UnitRow>(
      `SELECT ${UNIT_COLUMNS} FROM ${this.units} FINAL ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY rent_cents, unit_id LIMIT ${int(q.limit ?? 100)}`,
    );
    return rows.map(toView);
  }

  async occupancy(propertyId: string): Promise<Occupancy> {
    const [row] = await this.rows<{ units: string | number; leased: string | number }>(
      `SELECT count() AS units, countIf(status = 'leased') AS leased FROM ${this.units} FINAL WHERE property_id = ${str(propertyId)}`,
    );
    return { propertyId, units: Number(row?.units ?? 0), leased: Number(row?.leased ?? 0) };
  }

  async close(): Promise<void> {
    if (this.settings.dropTablesOnClose) {
      for (const t of [this.units, this.applied]) await this.client.command({ query: `DROP TABLE IF EXISTS ${t}` }).catch(() => undefined);
    }
    await this.client.close();
  }
}

export async function createClickHouseReadStore(manifest: Extract<ReadStoreManifest, { kind: "clickhouse" }>, options: ClickHouseOptions = {}): Promise<ClickHouseReadStore> {
  const s = clickHouseSettings(manifest, options);
  const { createClient } = require("@clickhouse/client") as typeof import("@clickhouse/client");
  const client = createClient({
    url: s.url,
    username: s.user,
    ...(s.password !== undefined ? { password: s.password } : {}),
    ...(s.ca !== undefined ? { tls: { ca_cert: Buffer.from(s.ca) } } : {}),
    request_timeout: s.requestTimeoutMs,
  });
  const store = new ClickHouseReadStore(client, s);
  try {
    await store.ping();
  } catch (e) {
    await client.close().catch(() => undefined);
    throw backendUnreachable("read store", "clickhouse", s.url, e);
  }
  try {
    await store.migrate();
  } catch (e) {
    await client.close().catch(() => undefined);
    throw backendSetupFailed("read store", "clickhouse", s.url, e);
  }
  return store;
}
