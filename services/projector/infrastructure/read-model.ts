/** The projector's ReadModel on the runtime's ReadStore: tenant-prefixed ids (see platform/read-model). */
import type { ReadStore } from "@hexproperty/runtime";
import { rowId } from "../../platform/read-model";
import type { ReadModel } from "../application/project";

export function readStoreModel(readStore: ReadStore, clock: () => Date = () => new Date()): ReadModel {
  return {
    upsert: (row, eventId) =>
      readStore.upsertUnit(
        {
          unitId: rowId(row.tenantId, row.unitId),
          propertyId: rowId(row.tenantId, row.propertyId),
          city: rowId(row.tenantId, row.city),
          bedrooms: row.bedrooms,
          rentCents: row.rentCents,
          currency: row.currency,
          status: row.status,
          version: row.version,
          updatedAt: clock().toISOString(),
        },
        eventId,
      ),
  };
}
