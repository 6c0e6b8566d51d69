/**
 * Events → read model. For each event: fold it into the unit's projection
 * state (kept in the write store with optimistic concurrency), then upsert
 * the unit's row in the read store with the projection's own version and the
 * event id, then invalidate the search cache entries the change affects.
 *
 * Redelivery after a crash at any point converges: a repeated event does not
 * change the state, but the row is still upserted from the stored state (so a
 * crash between the state save and the row upsert heals), and the read store
 * answers duplicate/stale for anything it already has.
 */
import type { Json } from "../../kernel/domain/events";
import { StorageConflict, type AggregateStorage } from "../../kernel/application/aggregates";
import { UnitProjection, type UnitDetails, type UnitProjectionState } from "../domain/unit-projection";

/** A row of the read model (the runtime's UnitView fits). Ids carry the tenant (see infrastructure). */
export interface UnitRow {
  readonly tenantId: string;
  readonly unitId: string;
  readonly propertyId: string;
  readonly city: string;
  readonly bedrooms: number;
  readonly rentCents: number;
  readonly currency: string;
  readonly status: "available" | "leased" | "unlisted";
  readonly version: number;
}

export interface ReadModel {
  upsert(row: UnitRow, eventId: string): Promise<"applied" | "duplicate" | "stale">;
}

/** Told which cached answers a change makes stale. */
export interface SearchInvalidation {
  cityChanged(tenantId: string, city: string): Promise<void>;
  propertyChanged(tenantId: string, propertyId: string): Promise<void>;
}

export interface IncomingEvent {
  readonly id: string;
  readonly type: string;
  readonly data: Json;
}

const TYPE = "UnitProjection";

export class Projector {
  constructor(
    private readonly storage: AggregateStorage,
    private readonly readModel: ReadModel,
    private readonly invalidation: SearchInvalidation,
  ) {}

  /** Returns what happened, for metrics and tests. */
  async handle(event: IncomingEvent): Promise<"applied" | "duplicate" | "stale" | "ignored"> {
    const fold = foldOf(event);
    if (!fold) return "ignored";
    const key = `${fold.tenantId}/${fold.unitId}`;
    for (let attempt = 1; ; attempt++) {
      const rec = await this.storage.load(TYPE, key);
      const current = rec ? UnitProjection.fromState(rec.state as unknown as UnitProjectionState) : UnitProjection.empty(fold.tenantId, fold.unitId);
      const next = fold.apply(current);
      let version = rec?.version ?? 0;
      let projection = current;
      if (next) {
        try {
          await this.storage.save({ type: TYPE, id: key, expectedVersion: version, state: next.state as unknown as { [key: string]: Json }, events: [] });
        } catch (e) {
          if (e instanceof StorageConflict && attempt < 20) continue; // another event of this unit won the race: fold again
          throw e;
        }
        version += 1;
        projection = next;
      }
      const d = projection.state.details;
      if (!d || version === 0) return "stale";
      const result = await this.readModel.upsert(
        { tenantId: fold.tenantId, unitId: fold.unitId, propertyId: d.propertyId, city: d.city, bedrooms: d.bedrooms, rentCents: d.rentCents, currency: d.currency, status: projection.status, version },
        event.id,
      );
      if (result === "applied" || next) {
        await this.invalidation.cityChanged(fold.tenantId, d.city);
        await this.invalidation.propertyChanged(fold.tenantId, d.propertyId);
      }
      return result;
    }
  }
}

interface Fold {
  readonly tenantId: string;
  readonly unitId: string;
  apply(p: UnitProjection): UnitProjection | undefined;
}

type Obj = { readonly [key: string]: Json };
const isObj = (x: Json | undefined): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

/** Reads what the projection needs from an event; undefined for events that do not touch a unit's row. */
function foldOf(event: IncomingEvent): Fold | undefined {
  const data = event.data;
  if (!isObj(data)) return undefined;
  const tenantId = data.tenantId;
  const version = data.aggregateVersion;
  if (typeof tenantId !== "string" || typeof version !== "number") return undefined;
  if (event.type.startsWith("property.") && isObj(data.unit)) {
    const u = data.unit;
    const rent = isObj(u.rent) ? u.rent : {};
    const details: UnitDetails = {
      propertyId: String(data.propertyId),
      city: String(data.city),
      bedrooms: Number(u.bedrooms),
      rentCents: Number(rent.amountCents),
      currency: String(rent.currency),
      listed: u.listed === true,
    };
    return { tenantId, unitId: String(u.unitId), apply: (p) => p.withDetails(version, details) };
  }
  if (event.type.startsWith("leasing.") && typeof data.unitId === "string" && typeof data.occupied === "boolean") {
    const occupied = data.occupied;
    return { tenantId, unitId: data.unitId, apply: (p) => p.withOccupancy(version, occupied) };
  }
  return undefined;
}
