import { invalidSetting } from "../../errors";
import type { ReadStoreManifest, WriteStoreManifest } from "../../manifest/schema";
import { checkIdentifier } from "../sql/client";

/** Settings of the PGlite (Postgres in WASM) stores. */
export interface PgliteSettings {
  /** Folder of the database, or "memory://" (kept in memory, shared by the stores of one process). */
  readonly dataDir: string;
  /** Postgres schema holding the tables; one per test namespace. @default "public" */
  readonly schema: string;
}

export interface PgliteOptions {
  readonly schema?: string;
}

export function pgliteSettings(m: Extract<WriteStoreManifest | ReadStoreManifest, { kind: "pglite" }>, o: PgliteOptions = {}): PgliteSettings {
  const s = { dataDir: m.dataDir, schema: o.schema ?? "public" };
  if (!checkIdentifier(s.schema)) throw invalidSetting("pglite", "schema", s.schema, "lower-case letters, digits and '_', starting with a letter or '_'");
  if (s.dataDir.includes("://") && !s.dataDir.startsWith("memory://")) throw invalidSetting("pglite", "dataDir", s.dataDir, '"memory://" or a folder path');
  return s;
}
