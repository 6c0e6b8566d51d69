/** The search service's public routes as data (query strings are strings; the domain parses them). */
import { z } from "zod";
import { text, type RouteSpec } from "../../platform/spec";

const digits = (max: number) => z.string().regex(new RegExp(`^\\d{1,${max}}$`), { message: "must be a non-negative whole number" });

export const searchUnitsQuery = z
  .object({
    city: text(100),
    maxRentCents: digits(11).optional(),
    minBedrooms: digits(2).optional(),
    status: z.enum(["available", "leased", "unlisted"]).optional(),
    limit: digits(3).optional(),
  })
  .strict();

export const searchRoutes: readonly RouteSpec[] = [
  { operationId: "searchUnits", service: "search", method: "get", path: "/search/units", summary: "Units of a city by rent and bedrooms (default: available ones), cheapest first; cached", query: searchUnitsQuery, responses: { 200: "matching units" } },
  { operationId: "getOccupancy", service: "search", method: "get", path: "/search/occupancy/{propertyId}", summary: "Units and leased units of a property; cached", responses: { 200: "occupancy" } },
];
