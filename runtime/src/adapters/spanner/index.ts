/**
 * ReadStore on Cloud Spanner (and the Spanner emulator).
 *
 * Tables (created on first use when missing, with IF NOT EXISTS):
 * - `units` (unit_id PK, property_id, city, bedrooms, rent_cents, currency,
 *   status, version, updated_at) with secondary indexes on city and on
 *   property_id;
 * - `applied_events` (event_id PK, unit_id, applied_at): the event ids already
 *   projected.
 *
 * upsertUnit() is one read-write transaction: an applied event id answers
 * "duplicate", a stored version >= the new one answers "stale", otherwise the
 * row is inserted or updated and the event id recorded ("applied"). The client
 * retries transactions Spanner aborts (the emulator runs one at a time).
 */
import { Spanner, type Database } from "@google-cloud/spanner";
import { credentials } from "@grpc/grpc-js";
import { adapterClosed, backendUnreachable, databaseMissing, invalidUnitStatus } from "../../errors";
import type { Occupancy, ProjectionResult, ReadStore, UnitQuery, UnitView } from "../../ports";
import { spannerSettings, type SpannerManifest, type SpannerReadStoreOptions, type SpannerSettings } from "./settings";
import { readModelDdl, readModelTables, type ReadModelTables } from "./schema";
import { unitViewFromRow, type UnitRow } from "../unit-row";

export { spannerSettings } from "./settings";
export type { SpannerManifest, SpannerReadStoreOptions, SpannerSettings } from "./settings";

const BACKEND = "spanner";
const STATUSES: readonly UnitView["status"][] = ["available", "leased", "unlisted"];
const DEFAULT_LIMIT = 100;
/** ping() gives up after this (the client itself retries an unreachable server for a minute). */
const PING_MS = 10_000;

/** Connects to Spanner (or the emulator at `emulatorHost`); tables are ensured on first use. */
export function createSpannerReadStore(manifest: SpannerManifest, options: SpannerReadStoreOptions = {}): SpannerReadStore {
  return new SpannerReadStore(spannerSettings(manifest, options));
}

function toIso(value: Date | string): string {
  return new Date(value instanceof Date ? value.getTime() : Date.parse(value)).toISOString();
}

const toView = (row: UnitRow): UnitView => unitViewFromRow(row, toIso);

export class SpannerReadStore implements ReadStore {
  readonly kind = "spanner";
  readonly client: Spanner;
  readonly database: Database;
  private readonly t: ReadModelTables;
  private ready: Promise<void> | undefined;
  private closed: Promise<void> | undefined;

  constructor(readonly settings: SpannerSettings) {
    const emulator = settings.emulatorHost ? parseHostPort(settings.emulatorHost) : undefined;
    this.client = new Spanner({
      projectId: settings.projectId,
      ...(emulator ? { servicePath: emulator.host, port: emulator.port, sslCreds: credentials.createInsecure() } : {}),
    });
    const instance = this.client.instance(settings.instance);
    this.database = emulator ? withRegularSessions(() => instance.database(settings.database, { min: 1, max: 10 })) : instance.database(settings.database);
    // The session pool reports background failures (server down) as 'error' events on the
    // Database; without a listener they would crash the process. Calls fail on their own.
    this.database.on("error", () => undefined);
    const p = settings.tablePrefix;
    this.t = readModelTables(p);
  }

  private where(): string {
    return this.settings.emulatorHost ?? `project ${this.settings.projectId}`;
  }

  private assertOpen(): void {
    if (this.closed) throw adapterClosed(BACKEND);
  }

  /** Creates the tables on first use (and, on the emulator, the instance and database when missing). */
  private ensure(): Promise<void> {
    this.ready ??= this.ensureSchema().catch((e: unknown) => {
      this.ready = undefined;
      throw e;
    });
    return this.ready;
  }

  private async ensureSchema(): Promise<void> {
    const [exists] = await this.database.exists();
    if (!exists) {
      if (!this.settings.emulatorHost || !this.settings.createDatabaseIfMissing) throw databaseMissing(BACKEND, this.settings.database, this.settings.instance, this.settings.projectId);
      const instance = this.client.instance(this.settings.instance);
      const [instanceExists] = await instance.exists();
      if (!instanceExists) {
        const [, op] = await this.client.createInstance(this.settings.instance, { config: "emulator-config", nodes: 1, displayName: this.settings.instance });
        await op.promise();
      }
      const [, op] = await instance.createDatabase(this.settings.database);
      await op.promise();
    }
    const [rows] = await this.database.run({
      sql: "SELECT table_name FROM information_schema.tables WHERE table_schema = '' AND table_name IN UNNEST(@names)",
      params: { names: [this.t.units, this.t.applied] },
      types: { names: { type: "array", child: "string" } },
      json: true,
    });
    if (rows.length === 2) return;
    const [op] = await this.database.updateSchema(readModelDdl(this.t, true));
    await op.promise();
  }

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      await withDeadline(this.database.run({ sql: "SELECT 1", gaxOptions: { timeout: PING_MS } }), PING_MS);
    } catch (e) {
      if (/NOT_FOUND|Database not found/i.test(String((e as Error).message))) throw databaseMissing(BACKEND, this.settings.database, this.settings.instance, this.settings.projectId);
      throw backendUnreachable("ReadStore", BACKEND, this.where(), brief(e));
    }
  }

  async upsertUnit(view: UnitView, eventId: string): Promise<ProjectionResult> {
    this.assertOpen();
    if (!STATUSES.includes(view.status)) throw invalidUnitStatus(BACKEND, view.unitId, view.status, STATUSES);
    await this.ensure();
    const { units, applied } = this.t;
    return this.database.runTransactionAsync(async (tx): Promise<ProjectionResult> => {
      const [rows] = await tx.run({
        sql: `SELECT (SELECT COUNT(*) FROM ${applied} WHERE event_id = @eventId) AS seen, (SELECT version FROM ${units} WHERE unit_id = @unitId) AS version`,
        params: { eventId, unitId: view.unitId },
        json: true,
      });
      const row = rows[0] as { seen: number; version: number | null } | undefined;
      let result: ProjectionResult = "applied";
      if (row && Number(row.seen) > 0) result = "duplicate";
      else if (row && row.version !== null && Number(row.version) >= view.version) result = "stale";
      if (result === "applied") {
        tx.upsert(units, {
          unit_id: view.unitId,
          property_id: view.propertyId,
          city: view.city,
          bedrooms: Spanner.int(view.bedrooms),
          rent_cents: Spanner.int(view.rentCents),
          currency: view.currency,
          status: view.status,
          version: Spanner.int(view.version),
          updated_at: new Date(view.updatedAt),
        });
        tx.insert(applied, { event_id: eventId, unit_id: view.unitId, applied_at: new Date() });
      }
      await tx.commit();
      return result;
    });
  }

  async getUnit(unitId: string): Promise<UnitView | undefined> {
    this.assertOpen();
    await this.ensure();
    const [rows] = await this.database.run({ sql: `SELECT * FROM ${this.t.units} WHERE unit_id = @unitId`, params: { unitId }, json: true });
    const row = rows[0] as UnitRow | undefined;
    return row ? toView(row) : undefined;
  }

  async searchUnits(query: UnitQuery): Promise<UnitView[]> {
    this.assertOpen();
    await this.ensure();
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    const types: Record<string, string> = {};
    const add = (clause: string, name: string, value: unknown, type: string) => {
      where.push(clause);
      params[name] = value;
      types[name] = type;
    };
    if (query.city !== undefined) add("city = @city", "city", query.city, "string");
    if (query.maxRentCents !== undefined) add("rent_cents <= @maxRent", "maxRent", Spanner.int(Math.floor(query.maxRentCents)), "int64");
    if (query.minBedrooms !== undefined) add("bedrooms >= @minBedrooms", "minBedrooms", Spanner.int(Math.ceil(query.minBedrooms)), "int64");
    if (query.status !== undefined) add("status = @status", "status", query.status, "string");
    params.limit = Spanner.int(Math.max(0, Math.floor(query.limit ?? DEFAULT_LIMIT)));
    types.limit = "int64";
    const sql = `SELECT * FROM ${this.t.units}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY rent_cents, unit_id LIMIT @limit`;
    const [rows] = await this.database.run({ sql, params, types: types as never, json: true });
    return (rows as UnitRow[]).map(toView);
  }

  async occupancy(propertyId: string): Promise<Occupancy> {
    this.assertOpen();
    await this.ensure();
    const [rows] = await this.database.run({
      sql: `SELECT COUNT(*) AS units, COUNTIF(status = 'leased') AS leased FROM ${this.t.units} WHERE property_id = @propertyId`,
      params: { propertyId },
      json: true,
    });
    const row = (rows[0] ?? { units: 0, leased: 0 }) as { units: number; leased: number | null };
    return { propertyId, units: Number(row.units), leased: Number(row.leased ?? 0) };
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.database.close().catch(() => undefined);
      this.client.close();
    })();
    return this.closed;
  }
}

/**
 * Builds a Database whose transactions use regular (pooled) sessions. The
 * emulator answers a request for a multiplexed session with a regular one
 * (`multiplexed: false`), after which the client fails every read-write
 * transaction with "Unable to release unknown resource". The client reads
 * its documented switch, GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS*, when the
 * Database is constructed; it is set only for that synchronous call and
 * restored before anything else can run.
 */
function withRegularSessions<T>(make: () => T): T {
  const keys = ["GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS", "GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS_FOR_RW", "GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS_PARTITIONED_OPS"];
  const saved = keys.map((k) => process.env[k]);
  for (const k of keys) process.env[k] = "false";
  try {
    return make();
  } finally {
    keys.forEach((k, i) => {
      if (saved[i] === undefined) delete process.env[k];
      else process.env[k] = saved[i];
    });
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function parseHostPort(hostPort: string): { host: string; port: number } {
  const i = hostPort.lastIndexOf(":");
  return { host: hostPort.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(hostPort.slice(i + 1)) };
}

/** The first line of a client error, without the client's list of every retried attempt. */
function brief(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split(" : Previous errors")[0]!.replace(/\s+/g, " ").trim();
}
