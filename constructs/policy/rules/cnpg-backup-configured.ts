import { kubeName, kubeObject } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const cnpgBackupConfigured: ResourceRule = {
  id: "cnpg-backup-configured",
  scope: "resource",
  layer: "data",
  stacks: ["portable"],
  what: "Where the environment asks for point-in-time recovery, every CloudNativePG cluster archives its WAL (`spec.backup` with an object store, or a Barman Cloud plugin).",
  why: "Point-in-time recovery of PostgreSQL replays archived WAL; without an archive the write store can only be restored to nothing.",
  fix: "Configure `spec.backup.barmanObjectStore` (or the barman-cloud plugin) with a bucket and retention policy.",
  check(resource, settings) {
    const object = kubeObject(resource, "Cluster");
    const applicable = object !== undefined && String(object.apiVersion).startsWith("postgresql.cnpg.io/") && settings.pointInTimeRecovery;
    const spec = object?.spec ?? {};
    const archived = spec.backup?.barmanObjectStore || (Array.isArray(spec.plugins) && spec.plugins.some((p: any) => p?.isWALArchiver));
    return verdictOf(applicable, archived ? [] : [`${kubeName(object)} archives no WAL`]);
  },
};
