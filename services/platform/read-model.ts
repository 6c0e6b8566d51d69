/**
 * How tenants are kept apart in the shared read model: the runtime's unit row
 * has no tenant column, so every id the services write into it is prefixed
 * with the tenant ("<tenant>/<id>"; tenant ids cannot contain '/'), and so is
 * the city the search filters on. Every read goes through these functions,
 * so no query can match another tenant's rows.
 */
export const rowId = (tenantId: string, id: string): string => `${tenantId}/${id}`;

/** The id without its tenant prefix; throws when the row belongs to someone else (a bug, never data). */
export function fromRowId(tenantId: string, stored: string): string {
  const prefix = `${tenantId}/`;
  if (!stored.startsWith(prefix)) throw new Error(`read model: row ${JSON.stringify(stored)} does not belong to tenant ${tenantId}`);
  return stored.slice(prefix.length);
}
