import { platformScope, type LayerContext } from "../core/context";
import { gcpNetwork } from "../network";
import { unreachable } from "../errors";
import type { DataContract } from "./contract";
import { GcpData } from "./gcp";
import { PortableData } from "./portable";

export * from "./contract";
export { SPANNER_READ_MODEL_DDL } from "./read-model";
export { GcpData, PortableData };
export type { GcpDataProps } from "./gcp";
export type { PortableDataProps } from "./portable";

/**
 * Layer 5: maps the environment (protection keys included) to one
 * implementation's props. `writeOwners`: the workloads that own write data
 * (on gcp each gets its own database).
 */
export function dataLayer(ctx: LayerContext, writeOwners: readonly string[] = []): DataContract {
  switch (ctx.stack) {
    case "gcp": {
      const g = ctx.env.gcp;
      return new GcpData(ctx.workloads, "data", {
        projectId: g.projectId, region: g.region, names: ctx.names, spannerProcessingUnits: g.spannerProcessingUnits, redisTier: g.redisTier, redisMemoryGb: g.redisMemoryGb,
        writeOwners, network: gcpNetwork(ctx),
        deletionProtection: ctx.env.protection.deletionProtection, pointInTimeRecovery: ctx.env.protection.pointInTimeRecovery,
        backupRetentionDays: ctx.env.protection.backupRetentionDays, readVersionRetentionHours: ctx.env.protection.readVersionRetentionHours, labels: ctx.env.labels,
      });
    }
    case "portable": {
      const p = ctx.env.portable;
      return new PortableData(ctx.workloads, "data", {
        namespace: p.namespace, operatorsNamespace: p.operatorsNamespace, names: ctx.names, postgres: p.postgres, clickhouse: p.clickhouse,
        storageClass: p.storageClass, platform: platformScope(ctx, "data"), labels: ctx.env.labels,
        cache: p.cache, backup: p.backup, backupRetentionDays: ctx.env.protection.backupRetentionDays,
      });
    }
    default:
      return unreachable(ctx, "stack");
  }
}
