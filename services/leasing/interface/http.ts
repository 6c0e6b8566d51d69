/** HTTP handlers of the leasing service. */
import { commandResponse, thenRun, type Handler } from "../../platform/http";
import type { LeasingService } from "../application/commands";

export function leasingHandlers(app: LeasingService, afterCommand: () => void): Record<string, Handler> {
  const command = thenRun(afterCommand);
  return {
    submitApplication: command(async (req) => commandResponse(await app.submit(req.command, req.params.unitId!, req.body))),
    approveApplication: command(async (req) => commandResponse(await app.approve(req.command, req.params.unitId!, req.params.applicationId!))),
    rejectApplication: command(async (req) => commandResponse(await app.reject(req.command, req.params.unitId!, req.params.applicationId!))),
    signLease: command(async (req) => commandResponse(await app.sign(req.command, req.params.unitId!, req.body))),
    terminateLease: command(async (req) => commandResponse(await app.terminate(req.command, req.params.unitId!, req.params.leaseId!, req.body))),
    getUnitLeasing: async (req) => {
      const { leasing, version } = await app.get(req.principal.tenant, req.params.unitId!);
      const { tenantId: _t, ...visible } = leasing;
      return { status: 200, body: { ...visible, version } as never };
    },
  };
}
