/**
 * The UnitLeasing aggregate: everything leasing knows about one unit of one
 * tenant — the applications for it and its leases. One aggregate per unit
 * makes "at most one active lease per unit" an invariant checked in one place
 * and written atomically.
 */
import { InvalidValue, NotFound, RuleViolation } from "../../kernel/domain/errors";
import type { Decision, DomainEvent, Json } from "../../kernel/domain/events";
import { CalendarDate, DateRange, email, Money, text, type TenantId } from "../../kernel/domain/values";

export const MAX_APPLICATIONS = 200;

export type ApplicationStatus = "submitted" | "approved" | "rejected" | "leased";
export type LeaseStatus = "active" | "terminated";

export class Applicant {
  private constructor(readonly name: string, readonly email: string) {
    Object.freeze(this);
  }
  static of(v: { name: unknown; email: unknown }): Applicant {
    return new Applicant(text("applicant.name", v.name, 1, 120), email("applicant.email", v.email));
  }
  toJSON(): { name: string; email: string } {
    return { name: this.name, email: this.email };
  }
}

export interface Application {
  readonly applicationId: string;
  readonly applicant: Applicant;
  readonly moveIn: CalendarDate;
  readonly status: ApplicationStatus;
}

export interface Lease {
  readonly leaseId: string;
  readonly applicationId: string;
  readonly period: DateRange;
  readonly rent: Money;
  readonly status: LeaseStatus;
  readonly terminatedOn?: CalendarDate;
}

export interface UnitLeasingState {
  readonly tenantId: string;
  readonly unitId: string;
  readonly propertyId: string;
  readonly applications: readonly { applicationId: string; applicant: { name: string; email: string }; moveIn: string; status: ApplicationStatus }[];
  readonly leases: readonly { leaseId: string; applicationId: string; period: { start: string; end: string }; rent: { amountCents: number; currency: string }; status: LeaseStatus; terminatedOn?: string }[];
}

export class UnitLeasing {
  private constructor(
    readonly tenantId: string,
    readonly unitId: string,
    readonly propertyId: string,
    readonly applications: readonly Application[],
    readonly leases: readonly Lease[],
  ) {
    Object.freeze(this.applications);
    Object.freeze(this.leases);
    Object.freeze(this);
  }

  static open(tenant: TenantId, unitId: string, propertyId: string): UnitLeasing {
    return new UnitLeasing(tenant.value, unitId, propertyId, [], []);
  }

  get activeLease(): Lease | undefined {
    return this.leases.find((l) => l.status === "active");
  }

  application(applicationId: string): Application {
    const a = this.applications.find((x) => x.applicationId === applicationId);
    if (!a) throw new NotFound("application", applicationId);
    return a;
  }

  submitApplication(applicationId: string, applicant: Applicant, moveIn: CalendarDate): Decision<UnitLeasing> {
    if (this.applications.some((a) => a.applicationId === applicationId)) throw new RuleViolation("application-exists", `application ${applicationId} already exists`);
    if (this.applications.length >= MAX_APPLICATIONS) throw new RuleViolation("too-many-applications", `a unit takes at most ${MAX_APPLICATIONS} applications`);
    const app: Application = Object.freeze({ applicationId, applicant, moveIn, status: "submitted" as const });
    const next = this.copy({ applications: [...this.applications, app] });
    return { next, events: [next.event("leasing.ApplicationSubmitted", { applicationId, applicant: applicant.toJSON(), moveIn: moveIn.iso })] };
  }

  approve(applicationId: string): Decision<UnitLeasing> {
    return this.decideApplication(applicationId, "approved", "leasing.ApplicationApproved");
  }

  reject(applicationId: string): Decision<UnitLeasing> {
    return this.decideApplication(applicationId, "rejected", "leasing.ApplicationRejected");
  }

  signLease(leaseId: string, applicationId: string, period: DateRange, rent: Money): Decision<UnitLeasing> {
    const app = this.application(applicationId);
    if (app.status !== "approved") throw new RuleViolation("application-not-approved", `application ${applicationId} is ${app.status}; only an approved application can be signed`);
    const active = this.activeLease;
    if (active) throw new RuleViolation("unit-leased", `unit ${this.unitId} already has the active lease ${active.leaseId}`);
    if (this.leases.some((l) => l.leaseId === leaseId)) throw new RuleViolation("lease-exists", `lease ${leaseId} already exists`);
    const lease: Lease = Object.freeze({ leaseId, applicationId, period, rent, status: "active" as const });
    const next = this.copy({
      applications: this.applications.map((a) => (a.applicationId === applicationId ? Object.freeze({ ...a, status: "leased" as const }) : a)),
      leases: [...this.leases, lease],
    });
    return { next, events: [next.event("leasing.LeaseSigned", { leaseId, applicationId, period: period.toJSON(), rent: rent.toJSON() })] };
  }

  terminate(leaseId: string, on: CalendarDate): Decision<UnitLeasing> {
    const lease = this.leases.find((l) => l.leaseId === leaseId);
    if (!lease) throw new NotFound("lease", leaseId);
    if (lease.status !== "active") throw new RuleViolation("lease-not-active", `lease ${leaseId} is already terminated`);
    if (on.isBefore(lease.period.start)) throw new InvalidValue("terminatedOn", `must not be before the lease start ${lease.period.start.iso}`);
    const next = this.copy({ leases: this.leases.map((l) => (l.leaseId === leaseId ? Object.freeze({ ...l, status: "terminated" as const, terminatedOn: on }) : l)) });
    return { next, events: [next.event("leasing.LeaseTerminated", { leaseId, terminatedOn: on.iso })] };
  }

  private decideApplication(applicationId: string, status: "approved" | "rejected", type: string): Decision<UnitLeasing> {
    const app = this.application(applicationId);
    if (app.status !== "submitted") throw new RuleViolation("application-decided", `application ${applicationId} is already ${app.status}`);
    const next = this.copy({ applications: this.applications.map((a) => (a.applicationId === applicationId ? Object.freeze({ ...a, status }) : a)) });
    return { next, events: [next.event(type, { applicationId })] };
  }

  private copy(change: { applications?: readonly Application[]; leases?: readonly Lease[] }): UnitLeasing {
    return new UnitLeasing(this.tenantId, this.unitId, this.propertyId, change.applications ?? this.applications, change.leases ?? this.leases);
  }

  /** Every leasing event says whether the unit is occupied afterwards: that is what the read model needs. */
  private event(type: string, data: { [key: string]: Json }): DomainEvent {
    return { type, data: { tenantId: this.tenantId, unitId: this.unitId, propertyId: this.propertyId, occupied: this.activeLease !== undefined, ...data } };
  }

  toState(): UnitLeasingState {
    return {
      tenantId: this.tenantId,
      unitId: this.unitId,
      propertyId: this.propertyId,
      applications: this.applications.map((a) => ({ applicationId: a.applicationId, applicant: a.applicant.toJSON(), moveIn: a.moveIn.iso, status: a.status })),
      leases: this.leases.map((l) => ({
        leaseId: l.leaseId,
        applicationId: l.applicationId,
        period: l.period.toJSON(),
        rent: l.rent.toJSON(),
        status: l.status,
        ...(l.terminatedOn ? { terminatedOn: l.terminatedOn.iso } : {}),
      })),
    };
  }

  static fromState(s: UnitLeasingState): UnitLeasing {
    return new UnitLeasing(
      s.tenantId,
      s.unitId,
      s.propertyId,
      s.applications.map((a) => Object.freeze({ applicationId: a.applicationId, applicant: Applicant.of(a.applicant), moveIn: CalendarDate.of(a.moveIn, "moveIn"), status: a.status })),
      s.leases.map((l) =>
        Object.freeze({
          leaseId: l.leaseId,
          applicationId: l.applicationId,
          period: DateRange.of(l.period.start, l.period.end),
          rent: Money.of(l.rent.amountCents, l.rent.currency),
          status: l.status,
          ...(l.terminatedOn ? { terminatedOn: CalendarDate.of(l.terminatedOn, "terminatedOn") } : {}),
        }),
      ),
    );
  }
}
