/**
 * What the read model shows for one unit, folded from two independent event
 * streams: property events (details, rent, listed) and leasing events
 * (occupied). Each source carries its own aggregate version; an event whose
 * version is not newer than the one already folded in is a repeat and changes
 * nothing, so the fold is idempotent and order-safe per source.
 */
export type UnitStatus = "available" | "leased" | "unlisted";

export interface UnitDetails {
  readonly propertyId: string;
  readonly city: string;
  readonly bedrooms: number;
  readonly rentCents: number;
  readonly currency: string;
  readonly listed: boolean;
}

export interface UnitProjectionState {
  readonly tenantId: string;
  readonly unitId: string;
  readonly details: UnitDetails | null;
  readonly occupied: boolean;
  readonly propertyVersion: number;
  readonly leasingVersion: number;
}

export class UnitProjection {
  private constructor(readonly state: UnitProjectionState) {
    Object.freeze(this);
  }

  static empty(tenantId: string, unitId: string): UnitProjection {
    return new UnitProjection({ tenantId, unitId, details: null, occupied: false, propertyVersion: 0, leasingVersion: 0 });
  }

  static fromState(s: UnitProjectionState): UnitProjection {
    return new UnitProjection(s);
  }

  get status(): UnitStatus {
    if (this.state.occupied) return "leased";
    return this.state.details?.listed ? "available" : "unlisted";
  }

  /** undefined when this property version was folded in already. */
  withDetails(version: number, details: UnitDetails): UnitProjection | undefined {
    if (version <= this.state.propertyVersion) return undefined;
    return new UnitProjection({ ...this.state, details, propertyVersion: version });
  }

  /** undefined when this leasing version was folded in already. */
  withOccupancy(version: number, occupied: boolean): UnitProjection | undefined {
    if (version <= this.state.leasingVersion) return undefined;
    return new UnitProjection({ ...this.state, occupied, leasingVersion: version });
  }
}
