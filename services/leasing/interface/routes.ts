/** The leasing service's public routes as data. */
import { z } from "zod";
import { date, expectedVersion, money, text, versionOnly, type RouteSpec } from "../../platform/spec";

export const submitApplicationBody = z
  .object({
    applicant: z.object({ name: text(120), email: text(254).refine((s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), { message: "must be an e-mail address" }) }).strict(),
    moveIn: date,
    expectedVersion,
  })
  .strict();

export const signLeaseBody = z
  .object({
    applicationId: z.string().uuid(),
    period: z.object({ start: date, end: date }).strict(),
    rent: money,
    expectedVersion,
  })
  .strict();

export const terminateLeaseBody = z.object({ terminatedOn: date, expectedVersion }).strict();

export const leasingRoutes: readonly RouteSpec[] = [
  { operationId: "submitApplication", service: "leasing", method: "post", path: "/units/{unitId}/applications", summary: "Apply for a listed unit", command: true, body: submitApplicationBody, responses: { 201: "submitted" } },
  { operationId: "approveApplication", service: "leasing", method: "post", path: "/units/{unitId}/applications/{applicationId}/approve", summary: "Approve an application", command: true, body: versionOnly, responses: { 200: "approved" } },
  { operationId: "rejectApplication", service: "leasing", method: "post", path: "/units/{unitId}/applications/{applicationId}/reject", summary: "Reject an application", command: true, body: versionOnly, responses: { 200: "rejected" } },
  { operationId: "signLease", service: "leasing", method: "post", path: "/units/{unitId}/leases", summary: "Sign a lease from an approved application", command: true, body: signLeaseBody, responses: { 201: "signed" } },
  { operationId: "terminateLease", service: "leasing", method: "post", path: "/units/{unitId}/leases/{leaseId}/terminate", summary: "Terminate an active lease", command: true, body: terminateLeaseBody, responses: { 200: "terminated" } },
  { operationId: "getUnitLeasing", service: "leasing", method: "get", path: "/units/{unitId}/leasing", summary: "Applications and leases of a unit", responses: { 200: "the unit's leasing record" } },
];
