/** HTTP handlers of the search service; X-Cache says hit, miss or off (flag searchCache). */
import type { Handler } from "../../platform/http";
import { UnitSearch } from "../domain/query";
import type { SearchService } from "../application/search";

export function searchHandlers(app: SearchService): Record<string, Handler> {
  return {
    searchUnits: async (req) => {
      const q = req.query;
      const search = UnitSearch.of(req.principal.tenant, {
        city: q.city,
        ...(q.maxRentCents !== undefined ? { maxRentCents: Number(q.maxRentCents) } : {}),
        ...(q.minBedrooms !== undefined ? { minBedrooms: Number(q.minBedrooms) } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
      });
      const { json, cache } = await app.units(search);
      return { status: 200, raw: json, headers: { "X-Cache": cache } };
    },
    getOccupancy: async (req) => {
      const { result, cache } = await app.occupancy(req.principal.tenant, req.params.propertyId!);
      return { status: 200, body: result, headers: { "X-Cache": cache } };
    },
  };
}
