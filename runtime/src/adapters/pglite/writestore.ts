import type { WriteStoreManifest } from "../../manifest/schema";
import { SqlWriteStore, writeStoreDdl } from "../sql/writestore";
import { acquirePglite, pgliteClient } from "./database";
import { pgliteSettings, type PgliteOptions } from "./settings";

/** WriteStore on PGlite: same tables and SQL as the postgres adapter. */
export async function createPgliteWriteStore(manifest: Extract<WriteStoreManifest, { kind: "pglite" }>, options: PgliteOptions = {}): Promise<SqlWriteStore> {
  const settings = pgliteSettings(manifest, options);
  const { db, release } = await acquirePglite(settings.dataDir);
  try {
    const client = pgliteClient(db);
    await client.exec(writeStoreDdl(settings.schema));
    return new SqlWriteStore("pglite", client, settings.schema, release);
  } catch (e) {
    await release();
    throw e;
  }
}
