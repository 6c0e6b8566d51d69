/** The leasing service's composition root. */
import { aggregateStorage } from "../platform/runtime";
import { startRelay } from "../platform/relay";
import type { ServiceModule } from "../platform/host";
import { LeasingService } from "./application/commands";
import { readModelUnitDirectory } from "./infrastructure/unit-directory";
import { leasingHandlers } from "./interface/http";
import { leasingRoutes } from "./interface/routes";

export const leasingModule: ServiceModule = {
  name: "leasing",
  uses: ["bus", "readStore"],
  async start(ctx) {
    const store = await ctx.writeStore();
    const relay = startRelay(store, ctx.rt, ctx.logger("relay"));
    const app = new LeasingService(aggregateStorage(store), readModelUnitDirectory(ctx.rt.readStore));
    return { routes: leasingRoutes, handlers: leasingHandlers(app, () => relay.wake()), stop: () => relay.stop() };
  },
};
