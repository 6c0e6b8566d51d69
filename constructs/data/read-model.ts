/** The read model's schema on Spanner, applied by the stack (DDL) and expected by the runtime's Spanner adapter. */
export const SPANNER_READ_MODEL_DDL: readonly string[] = [
  "CREATE TABLE units (unit_id STRING(64) NOT NULL, property_id STRING(64) NOT NULL, city STRING(128) NOT NULL, bedrooms INT64 NOT NULL, rent_cents INT64 NOT NULL, currency STRING(3) NOT NULL, status STRING(16) NOT NULL, version INT64 NOT NULL, updated_at TIMESTAMP NOT NULL) PRIMARY KEY (unit_id)",
  "CREATE INDEX units_by_city ON units (city, status)",
  "CREATE INDEX units_by_property ON units (property_id)",
  "CREATE TABLE applied_events (event_id STRING(128) NOT NULL, applied_at TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp = true)) PRIMARY KEY (event_id)",
];
