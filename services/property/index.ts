/** The property service's composition root: write store + outbox relay + use cases + routes. */
import { aggregateStorage } from "../platform/runtime";
import { startRelay } from "../platform/relay";
import type { ServiceModule } from "../platform/host";
import { PropertyService } from "./application/commands";
import { propertyHandlers } from "./interface/http";
import { propertyRoutes } from "./interface/routes";

export const propertyModule: ServiceModule = {
  name: "property",
  async start(ctx) {
    const store = await ctx.writeStore();
    const relay = startRelay(store, ctx.rt, ctx.logger("relay"));
    const app = new PropertyService(aggregateStorage(store));
    return { routes: propertyRoutes, handlers: propertyHandlers(app, () => relay.wake()), stop: () => relay.stop() };
  },
};
