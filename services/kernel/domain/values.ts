/**
 * Immutable, self-validating value objects shared by the services. Each
 * constructor checks its invariants and throws InvalidValue naming the field;
 * instances are frozen, so a value that exists is a valid value.
 */
import { InvalidValue } from "./errors";

const TENANT = /^[a-z0-9][a-z0-9-]{1,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Text without control characters, trimmed, within a length range. */
export function text(field: string, value: unknown, min: number, max: number): string {
  if (typeof value !== "string") throw new InvalidValue(field, "must be a string");
  const t = value.trim();
  if (t.length < min) throw new InvalidValue(field, min === 1 ? "must not be empty" : `must be at least ${min} characters`);
  if (t.length > max) throw new InvalidValue(field, `must be at most ${max} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(t)) throw new InvalidValue(field, "must not contain control characters");
  if (t !== t.normalize("NFC")) throw new InvalidValue(field, "must be NFC-normalised Unicode");
  return t;
}

export function integer(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new InvalidValue(field, "must be an integer");
  if (value < min || value > max) throw new InvalidValue(field, `must be between ${min} and ${max}`);
  return value;
}

/** The property-management company a request acts for (from the token). */
export class TenantId {
  private constructor(readonly value: string) {
    Object.freeze(this);
  }
  static of(value: unknown, field = "tenant"): TenantId {
    if (typeof value !== "string" || !TENANT.test(value)) throw new InvalidValue(field, "must be 2-63 lower-case letters, digits and '-'");
    return new TenantId(value);
  }
  toString(): string {
    return this.value;
  }
}

/** An entity id (UUID, lower case). */
export function entityId(field: string, value: unknown): string {
  if (typeof value !== "string" || !UUID.test(value)) throw new InvalidValue(field, "must be a lower-case UUID");
  return value;
}

/** An amount of money in minor units (cents) of an ISO 4217 currency. */
export class Money {
  static readonly MAX_CENTS = 100_000_000_00;
  private constructor(readonly amountCents: number, readonly currency: string) {
    Object.freeze(this);
  }
  static of(amountCents: unknown, currency: unknown, field = "rent"): Money {
    const cents = integer(`${field}.amountCents`, amountCents, 0, Money.MAX_CENTS);
    if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) throw new InvalidValue(`${field}.currency`, "must be an ISO 4217 code (three upper-case letters)");
    return new Money(cents, currency);
  }
  /** A rent must be more than nothing. */
  static positive(amountCents: unknown, currency: unknown, field = "rent"): Money {
    const m = Money.of(amountCents, currency, field);
    if (m.amountCents === 0) throw new InvalidValue(`${field}.amountCents`, "must be greater than 0");
    return m;
  }
  equals(other: Money): boolean {
    return this.amountCents === other.amountCents && this.currency === other.currency;
  }
  toJSON(): { amountCents: number; currency: string } {
    return { amountCents: this.amountCents, currency: this.currency };
  }
}

/** A postal address; the city is what search filters on. */
export class Address {
  private constructor(readonly line1: string, readonly city: string, readonly postalCode: string, readonly country: string) {
    Object.freeze(this);
  }
  static of(v: { line1: unknown; city: unknown; postalCode: unknown; country: unknown }, field = "address"): Address {
    const country = v.country;
    if (typeof country !== "string" || !/^[A-Z]{2}$/.test(country)) throw new InvalidValue(`${field}.country`, "must be an ISO 3166-1 alpha-2 code (two upper-case letters)");
    const city = text(`${field}.city`, v.city, 1, 100);
    if (city.includes("/")) throw new InvalidValue(`${field}.city`, "must not contain '/'");
    return new Address(text(`${field}.line1`, v.line1, 1, 200), city, text(`${field}.postalCode`, v.postalCode, 1, 20), country);
  }
  toJSON(): { line1: string; city: string; postalCode: string; country: string } {
    return { line1: this.line1, city: this.city, postalCode: this.postalCode, country: this.country };
  }
}

/** Floor area of a unit. */
export class UnitSize {
  private constructor(readonly value: number, readonly unit: "sqm" | "sqft") {
    Object.freeze(this);
  }
  static of(value: unknown, unit: unknown, field = "size"): UnitSize {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > 100_000) throw new InvalidValue(`${field}.value`, "must be a number greater than 0 and at most 100000");
    if (unit !== "sqm" && unit !== "sqft") throw new InvalidValue(`${field}.unit`, 'must be "sqm" or "sqft"');
    return new UnitSize(value, unit);
  }
  toJSON(): { value: number; unit: "sqm" | "sqft" } {
    return { value: this.value, unit: this.unit };
  }
}

/** A calendar date (YYYY-MM-DD, no time zone). */
export class CalendarDate {
  private constructor(readonly iso: string) {
    Object.freeze(this);
  }
  static of(value: unknown, field: string): CalendarDate {
    const m = typeof value === "string" ? DATE.exec(value) : null;
    if (!m) throw new InvalidValue(field, "must be a date YYYY-MM-DD");
    const d = new Date(`${value as string}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value || Number(m[1]) < 1900 || Number(m[1]) > 2200) throw new InvalidValue(field, "must be a real calendar date between 1900 and 2200");
    return new CalendarDate(value as string);
  }
  isBefore(other: CalendarDate): boolean {
    return this.iso < other.iso;
  }
  toJSON(): string {
    return this.iso;
  }
}

/** From start (inclusive) to end (exclusive); start before end. */
export class DateRange {
  private constructor(readonly start: CalendarDate, readonly end: CalendarDate) {
    Object.freeze(this);
  }
  static of(start: unknown, end: unknown, field = "period"): DateRange {
    const s = CalendarDate.of(start, `${field}.start`);
    const e = CalendarDate.of(end, `${field}.end`);
    if (!s.isBefore(e)) throw new InvalidValue(`${field}.end`, "must be after the start");
    return new DateRange(s, e);
  }
  contains(d: CalendarDate): boolean {
    return !d.isBefore(this.start) && d.isBefore(this.end);
  }
  toJSON(): { start: string; end: string } {
    return { start: this.start.iso, end: this.end.iso };
  }
}

export function email(field: string, value: unknown): string {
  const t = text(field, value, 3, 254);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t)) throw new InvalidValue(field, "must be an e-mail address");
  return t;
}
