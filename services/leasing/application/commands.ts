/**
 * Leasing use cases: apply for a unit, approve or reject an application,
 * sign a lease from an approved application, terminate a lease.
 *
 * A unit must be known to the read model (listed, for this tenant) before the
 * first application: leasing learns about units from the projection, never
 * from another tenant's data.
 */
import { NotFound, RuleViolation } from "../../kernel/domain/errors";
import { CalendarDate, DateRange, entityId, Money, type TenantId } from "../../kernel/domain/values";
import { Aggregates, derivedId, newId, type AggregateStorage, type CommandContext, type CommandResult } from "../../kernel/application/aggregates";
import type { Json } from "../../kernel/domain/events";
import { Applicant, UnitLeasing, type UnitLeasingState } from "../domain/unit-leasing";

export const LEASING_STREAM = "leasing";

/** What leasing needs to know about a unit (the read model answers it). */
export interface UnitDirectory {
  find(tenant: TenantId, unitId: string): Promise<{ propertyId: string; status: "available" | "leased" | "unlisted" } | undefined>;
}

export interface SubmitApplication {
  readonly applicant: { name: string; email: string };
  readonly moveIn: string;
}
export interface SignLease {
  readonly applicationId: string;
  readonly period: { start: string; end: string };
  readonly rent: { amountCents: number; currency: string };
}
export interface TerminateLease {
  readonly terminatedOn: string;
}

export class LeasingService {
  private readonly units: Aggregates<UnitLeasing>;

  constructor(storage: AggregateStorage, private readonly directory: UnitDirectory) {
    this.units = new Aggregates(storage, {
      type: "UnitLeasing",
      stream: LEASING_STREAM,
      toState: (u) => u.toState() as unknown as { [key: string]: Json },
      fromState: (s) => UnitLeasing.fromState(s as unknown as UnitLeasingState),
    });
  }

  async submit(ctx: CommandContext, unitId: string, cmd: SubmitApplication): Promise<CommandResult> {
    entityId("unitId", unitId);
    const applicant = Applicant.of(cmd.applicant);
    const moveIn = CalendarDate.of(cmd.moveIn, "moveIn");
    const applicationId = ctx.idempotencyKey ? derivedId(ctx.tenant.value, "application", unitId, ctx.idempotencyKey) : newId();
    const known = await this.units.get(ctx.tenant, unitId);
    const unit = known ? undefined : await this.directory.find(ctx.tenant, unitId);
    if (!known && !unit) throw new NotFound("unit", unitId);
    if (unit && unit.status === "unlisted") throw new RuleViolation("unit-not-listed", `unit ${unitId} is not listed for rent`);
    return this.units.execute(ctx, unitId, (current) => {
      const base = current ?? UnitLeasing.open(ctx.tenant, unitId, unit!.propertyId);
      const d = base.submitApplication(applicationId, applicant, moveIn);
      return { ...d, respond: (version) => ({ status: 201, body: { unitId, applicationId, status: "submitted", version } }) };
    });
  }

  approve(ctx: CommandContext, unitId: string, applicationId: string): Promise<CommandResult> {
    return this.onApplication(ctx, unitId, applicationId, "approved", (u) => u.approve(applicationId));
  }

  reject(ctx: CommandContext, unitId: string, applicationId: string): Promise<CommandResult> {
    return this.onApplication(ctx, unitId, applicationId, "rejected", (u) => u.reject(applicationId));
  }

  sign(ctx: CommandContext, unitId: string, cmd: SignLease): Promise<CommandResult> {
    entityId("unitId", unitId);
    entityId("applicationId", cmd.applicationId);
    const period = DateRange.of(cmd.period.start, cmd.period.end);
    const rent = Money.positive(cmd.rent.amountCents, cmd.rent.currency);
    const leaseId = ctx.idempotencyKey ? derivedId(ctx.tenant.value, "lease", unitId, ctx.idempotencyKey) : newId();
    return this.units.execute(ctx, unitId, (current) => {
      const d = existing(current, unitId).signLease(leaseId, cmd.applicationId, period, rent);
      return { ...d, respond: (version) => ({ status: 201, body: { unitId, leaseId, status: "active", version } }) };
    });
  }

  terminate(ctx: CommandContext, unitId: string, leaseId: string, cmd: TerminateLease): Promise<CommandResult> {
    entityId("unitId", unitId);
    entityId("leaseId", leaseId);
    const on = CalendarDate.of(cmd.terminatedOn, "terminatedOn");
    return this.units.execute(ctx, unitId, (current) => {
      const d = existing(current, unitId).terminate(leaseId, on);
      return { ...d, respond: (version) => ({ status: 200, body: { unitId, leaseId, status: "terminated", version } }) };
    });
  }

  async get(tenant: TenantId, unitId: string): Promise<{ leasing: UnitLeasingState; version: number }> {
    entityId("unitId", unitId);
    const found = await this.units.get(tenant, unitId);
    if (!found) throw new NotFound("unit", unitId);
    return { leasing: found.aggregate.toState(), version: found.version };
  }

  private onApplication(ctx: CommandContext, unitId: string, applicationId: string, status: string, command: (u: UnitLeasing) => ReturnType<UnitLeasing["approve"]>): Promise<CommandResult> {
    entityId("unitId", unitId);
    entityId("applicationId", applicationId);
    return this.units.execute(ctx, unitId, (current) => {
      const d = command(existing(current, unitId));
      return { ...d, respond: (version) => ({ status: 200, body: { unitId, applicationId, status, version } }) };
    });
  }
}

function existing(u: UnitLeasing | undefined, unitId: string): UnitLeasing {
  if (!u) throw new NotFound("unit", unitId);
  return u;
}
