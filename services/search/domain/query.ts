/**
 * A search for units of one tenant: city (required: the read model is
 * partitioned by tenant and city), optional rent ceiling and minimum
 * bedrooms, status (default "available"), and a page size.
 */
import { InvalidValue } from "../../kernel/domain/errors";
import { integer, Money, text, type TenantId } from "../../kernel/domain/values";

export type SearchStatus = "available" | "leased" | "unlisted";

export class UnitSearch {
  static readonly MAX_LIMIT = 100;
  private constructor(
    readonly tenant: TenantId,
    readonly city: string,
    readonly maxRentCents: number | undefined,
    readonly minBedrooms: number | undefined,
    readonly status: SearchStatus,
    readonly limit: number,
  ) {
    Object.freeze(this);
  }

  static of(tenant: TenantId, q: { city: unknown; maxRentCents?: unknown; minBedrooms?: unknown; status?: unknown; limit?: unknown }): UnitSearch {
    const city = text("city", q.city, 1, 100);
    const status = q.status ?? "available";
    if (status !== "available" && status !== "leased" && status !== "unlisted") throw new InvalidValue("status", 'must be "available", "leased" or "unlisted"');
    return new UnitSearch(
      tenant,
      city,
      q.maxRentCents === undefined ? undefined : integer("maxRentCents", q.maxRentCents, 0, Money.MAX_CENTS),
      q.minBedrooms === undefined ? undefined : integer("minBedrooms", q.minBedrooms, 0, 20),
      status,
      q.limit === undefined ? 50 : integer("limit", q.limit, 1, UnitSearch.MAX_LIMIT),
    );
  }

  /** Identifies the answer within one cache generation of (tenant, city). */
  get cacheKey(): string {
    return [this.status, this.maxRentCents ?? "", this.minBedrooms ?? "", this.limit].join(":");
  }
}
