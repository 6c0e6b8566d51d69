/** The property service's public routes as data (validated at the edge, documented in services/api/openapi.ts). */
import { z } from "zod";
import { expectedVersion, money, text, versionOnly, type RouteSpec } from "../../platform/spec";

export const registerPropertyBody = z
  .object({
    name: text(120),
    address: z
      .object({
        line1: text(200),
        city: text(100).refine((s) => !s.includes("/"), { message: "must not contain '/'" }),
        postalCode: text(20),
        country: z.string().regex(/^[A-Z]{2}$/).describe("ISO 3166-1 alpha-2"),
      })
      .strict(),
  })
  .strict();

export const addUnitBody = z
  .object({
    label: text(60),
    bedrooms: z.number().int().min(0).max(20),
    size: z.object({ value: z.number().gt(0).max(100_000), unit: z.enum(["sqm", "sqft"]) }).strict(),
    rent: money,
    expectedVersion,
  })
  .strict();

export const changeRentBody = z.object({ rent: money, expectedVersion }).strict();

export const propertyRoutes: readonly RouteSpec[] = [
  { operationId: "registerProperty", service: "property", method: "post", path: "/properties", summary: "Register a property", command: true, body: registerPropertyBody, responses: { 201: "registered" } },
  { operationId: "getProperty", service: "property", method: "get", path: "/properties/{propertyId}", summary: "A property with its units", responses: { 200: "the property" } },
  { operationId: "addUnit", service: "property", method: "post", path: "/properties/{propertyId}/units", summary: "Add a unit to a property", command: true, body: addUnitBody, responses: { 201: "added" } },
  { operationId: "listUnit", service: "property", method: "post", path: "/properties/{propertyId}/units/{unitId}/list", summary: "List a unit for rent", command: true, body: versionOnly, responses: { 200: "listed" } },
  { operationId: "unlistUnit", service: "property", method: "post", path: "/properties/{propertyId}/units/{unitId}/unlist", summary: "Take a unit off the market", command: true, body: versionOnly, responses: { 200: "unlisted" } },
  { operationId: "changeRent", service: "property", method: "post", path: "/properties/{propertyId}/units/{unitId}/rent", summary: "Change a unit's rent", command: true, body: changeRentBody, responses: { 200: "changed" } },
];
