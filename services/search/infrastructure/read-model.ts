/** Search on the runtime's ReadStore: tenant-prefixed city and ids (see platform/read-model). */
import type { ReadStore } from "@hexproperty/runtime";
import { fromRowId, rowId } from "../../platform/read-model";
import type { SearchReadModel } from "../application/search";

export function readStoreSearch(readStore: ReadStore): SearchReadModel {
  return {
    search: async (q) => {
      const t = q.tenant.value;
      const rows = await readStore.searchUnits({
        city: rowId(t, q.city),
        status: q.status,
        limit: q.limit,
        ...(q.maxRentCents !== undefined ? { maxRentCents: q.maxRentCents } : {}),
        ...(q.minBedrooms !== undefined ? { minBedrooms: q.minBedrooms } : {}),
      });
      return rows.map((v) => ({
        unitId: fromRowId(t, v.unitId),
        propertyId: fromRowId(t, v.propertyId),
        city: fromRowId(t, v.city),
        bedrooms: v.bedrooms,
        rent: { amountCents: v.rentCents, currency: v.currency },
        status: v.status,
        version: v.version,
      }));
    },
    occupancy: async (tenant, propertyId) => {
      const o = await readStore.occupancy(rowId(tenant.value, propertyId));
      return { units: o.units, leased: o.leased };
    },
  };
}
