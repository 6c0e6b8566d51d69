/** HTTP handlers of the property service: edge request in, use case, JSON out. */
import { commandResponse, thenRun, type Handler } from "../../platform/http";
import type { PropertyService } from "../application/commands";

export function propertyHandlers(app: PropertyService, afterCommand: () => void): Record<string, Handler> {
  const command = thenRun(afterCommand);
  return {
    registerProperty: command(async (req) => commandResponse(await app.register(req.command, req.body))),
    addUnit: command(async (req) => commandResponse(await app.addUnit(req.command, req.params.propertyId!, req.body))),
    listUnit: command(async (req) => commandResponse(await app.listUnit(req.command, req.params.propertyId!, req.params.unitId!))),
    unlistUnit: command(async (req) => commandResponse(await app.unlistUnit(req.command, req.params.propertyId!, req.params.unitId!))),
    changeRent: command(async (req) => commandResponse(await app.changeRent(req.command, req.params.propertyId!, req.params.unitId!, req.body))),
    getProperty: async (req) => {
      const { property, version } = await app.get(req.principal.tenant, req.params.propertyId!);
      const { tenantId: _t, ...visible } = property;
      return { status: 200, body: { ...visible, version } as never };
    },
  };
}
