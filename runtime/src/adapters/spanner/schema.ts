/**
 * The read model's Spanner schema: the single source for the stack's
 * `google_spanner_database` DDL and for the adapter, which applies the same
 * statements (with a per-run table prefix in tests) when the tables are missing.
 * No client import here, so the stacks can load it cheaply.
 */
export interface ReadModelTables {
  readonly units: string;
  readonly applied: string;
  readonly byCity: string;
  readonly byProperty: string;
}

export function readModelTables(prefix = ""): ReadModelTables {
  return { units: `${prefix}units`, applied: `${prefix}applied_events`, byCity: `${prefix}units_by_city`, byProperty: `${prefix}units_by_property` };
}

/** DDL statements; `ifNotExists` for the adapter's idempotent apply, plain for Terraform. */
export function readModelDdl(tables: ReadModelTables = readModelTables(), ifNotExists = false): string[] {
  const ine = ifNotExists ? "IF NOT EXISTS " : "";
  const { units, applied, byCity, byProperty } = tables;
  return [
    `CREATE TABLE ${ine}${units} (unit_id STRING(MAX) NOT NULL, property_id STRING(MAX) NOT NULL, city STRING(MAX) NOT NULL, bedrooms INT64 NOT NULL, rent_cents INT64 NOT NULL, currency STRING(3) NOT NULL, status STRING(16) NOT NULL, version INT64 NOT NULL, updated_at TIMESTAMP NOT NULL) PRIMARY KEY (unit_id)`,
    `CREATE INDEX ${ine}${byCity} ON ${units} (city)`,
    `CREATE INDEX ${ine}${byProperty} ON ${units} (property_id)`,
    `CREATE TABLE ${ine}${applied} (event_id STRING(MAX) NOT NULL, unit_id STRING(MAX) NOT NULL, applied_at TIMESTAMP NOT NULL) PRIMARY KEY (event_id)`,
  ];
}
