/**
 * The Property aggregate: a building of one tenant (the property-management
 * company) with its units. Immutable: every command returns a new Property
 * and the events it emitted; invariants are checked here, not at the edge.
 */
import { InvalidValue, NotFound, RuleViolation } from "../../kernel/domain/errors";
import type { Decision, DomainEvent, Json } from "../../kernel/domain/events";
import { Address, integer, Money, text, UnitSize, type TenantId } from "../../kernel/domain/values";

export const MAX_UNITS_PER_PROPERTY = 500;

export class Unit {
  private constructor(
    readonly unitId: string,
    readonly label: string,
    readonly bedrooms: number,
    readonly size: UnitSize,
    readonly rent: Money,
    readonly listed: boolean,
  ) {
    Object.freeze(this);
  }
  static create(unitId: string, label: unknown, bedrooms: unknown, size: UnitSize, rent: Money): Unit {
    return new Unit(unitId, text("label", label, 1, 60), integer("bedrooms", bedrooms, 0, 20), size, rent, false);
  }
  with(change: Partial<Pick<Unit, "rent" | "listed">>): Unit {
    return new Unit(this.unitId, this.label, this.bedrooms, this.size, change.rent ?? this.rent, change.listed ?? this.listed);
  }
  toJSON(): { [key: string]: Json } {
    return { unitId: this.unitId, label: this.label, bedrooms: this.bedrooms, size: this.size.toJSON(), rent: this.rent.toJSON(), listed: this.listed };
  }
}

export interface PropertyState {
  readonly tenantId: string;
  readonly propertyId: string;
  readonly name: string;
  readonly address: { line1: string; city: string; postalCode: string; country: string };
  readonly units: readonly ReturnType<Unit["toJSON"]>[];
}

export class Property {
  private constructor(
    readonly tenantId: string,
    readonly propertyId: string,
    readonly name: string,
    readonly address: Address,
    readonly units: readonly Unit[],
  ) {
    Object.freeze(this.units);
    Object.freeze(this);
  }

  static register(tenant: TenantId, propertyId: string, name: unknown, address: Address): Decision<Property> {
    const p = new Property(tenant.value, propertyId, text("name", name, 1, 120), address, []);
    return { next: p, events: [p.event("property.PropertyRegistered", { name: p.name, address: address.toJSON() })] };
  }

  unit(unitId: string): Unit {
    const u = this.units.find((x) => x.unitId === unitId);
    if (!u) throw new NotFound("unit", unitId);
    return u;
  }

  hasUnit(unitId: string): boolean {
    return this.units.some((x) => x.unitId === unitId);
  }

  addUnit(unitId: string, label: unknown, bedrooms: unknown, size: UnitSize, rent: Money): Decision<Property> {
    if (this.hasUnit(unitId)) throw new RuleViolation("unit-exists", `unit ${unitId} already exists in property ${this.propertyId}`);
    if (this.units.length >= MAX_UNITS_PER_PROPERTY) throw new RuleViolation("too-many-units", `a property holds at most ${MAX_UNITS_PER_PROPERTY} units`);
    const unit = Unit.create(unitId, label, bedrooms, size, rent);
    if (this.units.some((x) => x.label === unit.label)) throw new InvalidValue("label", `a unit labelled "${unit.label}" already exists in this property`);
    return this.withUnit(unit, "property.UnitAdded");
  }

  listUnit(unitId: string): Decision<Property> {
    const u = this.unit(unitId);
    if (u.listed) throw new RuleViolation("already-listed", `unit ${unitId} is already listed for rent`);
    return this.withUnit(u.with({ listed: true }), "property.UnitListed");
  }

  unlistUnit(unitId: string): Decision<Property> {
    const u = this.unit(unitId);
    if (!u.listed) throw new RuleViolation("not-listed", `unit ${unitId} is not listed`);
    return this.withUnit(u.with({ listed: false }), "property.UnitUnlisted");
  }

  changeRent(unitId: string, rent: Money): Decision<Property> {
    const u = this.unit(unitId);
    if (u.rent.equals(rent)) throw new RuleViolation("same-rent", `unit ${unitId} already has this rent`);
    return this.withUnit(u.with({ rent }), "property.RentChanged");
  }

  private withUnit(unit: Unit, type: string): Decision<Property> {
    const units = this.hasUnit(unit.unitId) ? this.units.map((x) => (x.unitId === unit.unitId ? unit : x)) : [...this.units, unit];
    const next = new Property(this.tenantId, this.propertyId, this.name, this.address, units);
    return { next, events: [next.event(type, { unit: unit.toJSON() })] };
  }

  private event(type: string, data: { [key: string]: Json }): DomainEvent {
    return { type, data: { tenantId: this.tenantId, propertyId: this.propertyId, city: this.address.city, ...data } };
  }

  toState(): PropertyState {
    return { tenantId: this.tenantId, propertyId: this.propertyId, name: this.name, address: this.address.toJSON(), units: this.units.map((u) => u.toJSON()) };
  }

  static fromState(s: PropertyState): Property {
    const units = s.units.map((u) => {
      const x = u as { unitId: string; label: string; bedrooms: number; size: { value: number; unit: string }; rent: { amountCents: number; currency: string }; listed: boolean };
      return Unit.create(x.unitId, x.label, x.bedrooms, UnitSize.of(x.size.value, x.size.unit), Money.of(x.rent.amountCents, x.rent.currency)).with({ listed: x.listed });
    });
    return new Property(s.tenantId, s.propertyId, s.name, Address.of(s.address), units);
  }
}
