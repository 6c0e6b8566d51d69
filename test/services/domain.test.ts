/** Domain rules of the services: value objects validate themselves, aggregates keep their invariants and emit events, the projection fold is idempotent. */
import { InvalidValue, NotFound, RuleViolation } from "../../services/kernel/domain/errors";
import { Address, CalendarDate, DateRange, Money, TenantId, UnitSize } from "../../services/kernel/domain/values";
import { Property } from "../../services/property/domain/property";
import { Applicant, UnitLeasing } from "../../services/leasing/domain/unit-leasing";
import { UnitProjection } from "../../services/projector/domain/unit-projection";
import { UnitSearch } from "../../services/search/domain/query";

const tenant = TenantId.of("acme");
const address = Address.of({ line1: "1 Quay Street", city: "Lisbon", postalCode: "1100-001", country: "PT" });
const P = "11111111-1111-4111-8111-111111111111";
const U = "22222222-2222-4222-8222-222222222222";
const eur = (c: number) => Money.of(c, "EUR");

function field(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidValue) return e.field;
    throw e;
  }
  throw new Error("no InvalidValue thrown");
}

describe("value objects", () => {
  test("given bad values, when value objects are made, then InvalidValue names the field", () => {
    expect(field(() => Money.of(-1, "EUR"))).toBe("rent.amountCents");
    expect(field(() => Money.of(1.5, "EUR"))).toBe("rent.amountCents");
    expect(field(() => Money.of(100, "eur"))).toBe("rent.currency");
    expect(field(() => Money.positive(0, "EUR", "price"))).toBe("price.amountCents");
    expect(field(() => Address.of({ line1: "x", city: "a/b", postalCode: "1", country: "PT" }))).toBe("address.city");
    expect(field(() => Address.of({ line1: "x", city: "Lisbon", postalCode: "1", country: "Portugal" }))).toBe("address.country");
    expect(field(() => Address.of({ line1: "\u0000", city: "Lisbon", postalCode: "1", country: "PT" }))).toBe("address.line1");
    expect(field(() => UnitSize.of(0, "sqm"))).toBe("size.value");
    expect(field(() => UnitSize.of(10, "acre"))).toBe("size.unit");
    expect(field(() => CalendarDate.of("2027-02-30", "moveIn"))).toBe("moveIn");
    expect(field(() => DateRange.of("2027-02-01", "2027-01-01"))).toBe("period.end");
    expect(field(() => TenantId.of("Acme Inc"))).toBe("tenant");
  });

  test("given valid values, when made, then they are frozen and compare by value", () => {
    const m = eur(100);
    expect(Object.isFrozen(m)).toBe(true);
    expect(m.equals(eur(100))).toBe(true);
    expect(m.equals(Money.of(100, "USD"))).toBe(false);
    expect(DateRange.of("2027-01-01", "2028-01-01").contains(CalendarDate.of("2027-06-01", "d"))).toBe(true);
    expect(() => {
      (m as { amountCents: number }).amountCents = 5;
    }).toThrow(TypeError);
  });
});

describe("Property", () => {
  const registered = Property.register(tenant, P, "Harbour View", address);

  test("given a new property, when registered, then it emits PropertyRegistered with its tenant and city", () => {
    expect(registered.events).toEqual([{ type: "property.PropertyRegistered", data: expect.objectContaining({ tenantId: "acme", propertyId: P, city: "Lisbon" }) }]);
  });

  test("given a property, when a unit is added, listed and its rent changed, then each returns a new property and one event with the unit's snapshot", () => {
    const added = registered.next.addUnit(U, "1A", 2, UnitSize.of(70, "sqm"), eur(120_000));
    const listed = added.next.listUnit(U);
    const changed = listed.next.changeRent(U, eur(125_000));
    expect(registered.next.units).toHaveLength(0);
    expect(changed.next.unit(U)).toMatchObject({ listed: true, rent: { amountCents: 125_000 } });
    expect([added, listed, changed].map((d) => d.events.map((e) => e.type))).toEqual([["property.UnitAdded"], ["property.UnitListed"], ["property.RentChanged"]]);
    expect(changed.events[0]!.data).toMatchObject({ unit: { unitId: U, rent: { amountCents: 125_000, currency: "EUR" }, listed: true } });
    expect(Property.fromState(changed.next.toState()).toState()).toEqual(changed.next.toState());
  });

  test("given a listed unit, when listed again or given the same rent, then the rule is refused", () => {
    const listed = registered.next.addUnit(U, "1A", 2, UnitSize.of(70, "sqm"), eur(1)).next.listUnit(U).next;
    expect(() => listed.listUnit(U)).toThrow(RuleViolation);
    expect(() => listed.changeRent(U, eur(1))).toThrow(RuleViolation);
    expect(() => listed.listUnit("33333333-3333-4333-8333-333333333333")).toThrow(NotFound);
    expect(field(() => listed.addUnit("44444444-4444-4444-8444-444444444444", "1A", 1, UnitSize.of(5, "sqm"), eur(1)))).toBe("label");
  });
});

describe("UnitLeasing", () => {
  const A = "55555555-5555-4555-8555-555555555555";
  const L = "66666666-6666-4666-8666-666666666666";
  const open = UnitLeasing.open(tenant, U, P).submitApplication(A, Applicant.of({ name: "Ana", email: "ana@example.com" }), CalendarDate.of("2027-01-01", "moveIn")).next;

  test("given a submitted application, when a lease is signed before approval, then it is refused", () => {
    expect(() => open.signLease(L, A, DateRange.of("2027-01-01", "2028-01-01"), eur(1))).toThrow(RuleViolation);
  });

  test("given an approved application, when signed and terminated, then the events say whether the unit is occupied", () => {
    const signed = open.approve(A).next.signLease(L, A, DateRange.of("2027-01-01", "2028-01-01"), eur(1));
    expect(signed.events[0]).toMatchObject({ type: "leasing.LeaseSigned", data: { occupied: true, unitId: U } });
    expect(() => signed.next.signLease("77777777-7777-4777-8777-777777777777", A, DateRange.of("2027-01-01", "2028-01-01"), eur(1))).toThrow(RuleViolation);
    const ended = signed.next.terminate(L, CalendarDate.of("2027-06-01", "terminatedOn"));
    expect(ended.events[0]).toMatchObject({ type: "leasing.LeaseTerminated", data: { occupied: false } });
    expect(field(() => signed.next.terminate(L, CalendarDate.of("2026-01-01", "terminatedOn")))).toBe("terminatedOn");
  });
});

describe("UnitProjection", () => {
  const details = { propertyId: P, city: "Lisbon", bedrooms: 2, rentCents: 100, currency: "EUR", listed: true };

  test("given events of two sources, when folded in any interleaving, then the status combines them and a repeated version changes nothing", () => {
    const leasedFirst = UnitProjection.empty("acme", U).withOccupancy(3, true)!;
    const both = leasedFirst.withDetails(2, details)!;
    expect(both.status).toBe("leased");
    expect(both.withDetails(2, { ...details, rentCents: 5 })).toBeUndefined();
    expect(both.withOccupancy(3, false)).toBeUndefined();
    expect(both.withOccupancy(4, false)!.status).toBe("available");
    expect(UnitProjection.empty("acme", U).withDetails(1, { ...details, listed: false })!.status).toBe("unlisted");
  });
});

describe("UnitSearch", () => {
  test("given search input, when parsed, then defaults apply and bad values name their field", () => {
    expect(UnitSearch.of(tenant, { city: "Lisbon" })).toMatchObject({ status: "available", limit: 50 });
    expect(field(() => UnitSearch.of(tenant, { city: "Lisbon", limit: 101 }))).toBe("limit");
    expect(field(() => UnitSearch.of(tenant, { city: "" }))).toBe("city");
  });
});
