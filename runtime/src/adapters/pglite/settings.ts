import type { ReadStoreManifest, WriteStoreManifest } from "../../manifest/schema";
import { checkSettings } from "../rules";
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
  checkSettings("pglite", [
    { ok: checkIdentifier(s.schema), key: "schema", value: s.schema, allowed: "lower-case letters, digits and '_', starting with a letter or '_'" },
    { ok: !s.dataDir.includes("://") || s.dataDir.startsWith("memory://"), key: "dataDir", value: s.dataDir, allowed: '"memory://" or a folder path' },
  ]);
  return s;
}
