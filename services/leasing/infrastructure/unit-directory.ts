/** Leasing learns about units from the read model; rows are keyed "<tenant>/<unit>", so a lookup never crosses tenants. */
import type { ReadStore } from "@hexproperty/runtime";
import type { TenantId } from "../../kernel/domain/values";
import type { UnitDirectory } from "../application/commands";
import { fromRowId, rowId } from "../../platform/read-model";

export function readModelUnitDirectory(readStore: ReadStore): UnitDirectory {
  return {
    find: async (tenant: TenantId, unitId: string) => {
      const v = await readStore.getUnit(rowId(tenant.value, unitId));
      if (!v) return undefined;
      return { propertyId: fromRowId(tenant.value, v.propertyId), status: v.status };
    },
  };
}
