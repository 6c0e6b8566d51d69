/**
 * Property use cases: register a property, add a unit, list / unlist a unit,
 * change a unit's rent. Each turns validated input into domain values, runs
 * the aggregate's command and answers with the new version.
 */
import { NotFound, RuleViolation } from "../../kernel/domain/errors";
import { Address, entityId, Money, UnitSize, type TenantId } from "../../kernel/domain/values";
import { Aggregates, derivedId, newId, type AggregateStorage, type CommandContext, type CommandResult } from "../../kernel/application/aggregates";
import { Property, type PropertyState } from "../domain/property";

export const PROPERTY_STREAM = "property";

export interface RegisterProperty {
  readonly name: string;
  readonly address: { line1: string; city: string; postalCode: string; country: string };
}
export interface AddUnit {
  readonly label: string;
  readonly bedrooms: number;
  readonly size: { value: number; unit: "sqm" | "sqft" };
  readonly rent: { amountCents: number; currency: string };
}
export interface ChangeRent {
  readonly rent: { amountCents: number; currency: string };
}

export class PropertyService {
  private readonly properties: Aggregates<Property>;

  constructor(storage: AggregateStorage) {
    this.properties = new Aggregates(storage, {
      type: "Property",
      stream: PROPERTY_STREAM,
      toState: (p) => p.toState() as unknown as ReturnType<Property["toState"]> & { [key: string]: never },
      fromState: (s) => Property.fromState(s as unknown as PropertyState),
    });
  }

  register(ctx: CommandContext, cmd: RegisterProperty): Promise<CommandResult> {
    const propertyId = ctx.idempotencyKey ? derivedId(ctx.tenant.value, "property", ctx.idempotencyKey) : newId();
    const address = Address.of(cmd.address);
    return this.properties.execute(ctx, propertyId, (current) => {
      if (current) throw new RuleViolation("property-exists", `property ${propertyId} already exists`);
      const d = Property.register(ctx.tenant, propertyId, cmd.name, address);
      return { ...d, respond: (version) => ({ status: 201, body: { propertyId, version } }) };
    });
  }

  addUnit(ctx: CommandContext, propertyId: string, cmd: AddUnit): Promise<CommandResult> {
    entityId("propertyId", propertyId);
    const unitId = ctx.idempotencyKey ? derivedId(ctx.tenant.value, "unit", propertyId, ctx.idempotencyKey) : newId();
    const size = UnitSize.of(cmd.size.value, cmd.size.unit);
    const rent = Money.positive(cmd.rent.amountCents, cmd.rent.currency);
    return this.properties.execute(ctx, propertyId, (current) => {
      const d = existing(current, propertyId).addUnit(unitId, cmd.label, cmd.bedrooms, size, rent);
      return { ...d, respond: (version) => ({ status: 201, body: { propertyId, unitId, version } }) };
    });
  }

  listUnit(ctx: CommandContext, propertyId: string, unitId: string): Promise<CommandResult> {
    return this.onUnit(ctx, propertyId, unitId, (p) => p.listUnit(unitId));
  }

  unlistUnit(ctx: CommandContext, propertyId: string, unitId: string): Promise<CommandResult> {
    return this.onUnit(ctx, propertyId, unitId, (p) => p.unlistUnit(unitId));
  }

  changeRent(ctx: CommandContext, propertyId: string, unitId: string, cmd: ChangeRent): Promise<CommandResult> {
    const rent = Money.positive(cmd.rent.amountCents, cmd.rent.currency);
    return this.onUnit(ctx, propertyId, unitId, (p) => p.changeRent(unitId, rent));
  }

  /** The property as its tenant sees it; NotFound for another tenant's id too. */
  async get(tenant: TenantId, propertyId: string): Promise<{ property: PropertyState; version: number }> {
    entityId("propertyId", propertyId);
    const found = await this.properties.get(tenant, propertyId);
    if (!found) throw new NotFound("property", propertyId);
    return { property: found.aggregate.toState(), version: found.version };
  }

  private onUnit(ctx: CommandContext, propertyId: string, unitId: string, command: (p: Property) => ReturnType<Property["listUnit"]>): Promise<CommandResult> {
    entityId("propertyId", propertyId);
    entityId("unitId", unitId);
    return this.properties.execute(ctx, propertyId, (current) => {
      const d = command(existing(current, propertyId));
      return { ...d, respond: (version) => ({ status: 200, body: { propertyId, unitId, version } }) };
    });
  }
}

function existing(p: Property | undefined, propertyId: string): Property {
  if (!p) throw new NotFound("property", propertyId);
  return p;
}
