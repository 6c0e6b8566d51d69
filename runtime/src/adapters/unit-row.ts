/**
 * The read model's `units` row as every ReadStore adapter stores it (same
 * column names on PGlite, ClickHouse and Spanner), and its mapping to the
 * port's UnitView. Drivers differ only in how they return numbers and times.
 */
import type { UnitView } from "../ports";

export interface UnitRow {
  unit_id: string;
  property_id: string;
  city: string;
  bedrooms: number | string;
  rent_cents: number | string | bigint;
  currency: string;
  status: string;
  version: number | string;
  updated_at: Date | string;
}

export const UNIT_COLUMNS = "unit_id, property_id, city, bedrooms, rent_cents, currency, status, version, updated_at";

/** Maps a row to the port's view; `updatedAt` normalises the driver's time value. */
export function unitViewFromRow(row: UnitRow, updatedAt: (value: Date | string) => string = String): UnitView {
  return {
    unitId: row.unit_id,
    propertyId: row.property_id,
    city: row.city,
    bedrooms: Number(row.bedrooms),
    rentCents: Number(row.rent_cents),
    currency: row.currency,
    status: row.status as UnitView["status"],
    version: Number(row.version),
    updatedAt: updatedAt(row.updated_at),
  };
}
