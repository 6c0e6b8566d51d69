/** The property service's composition root: write store + outbox relay + use cases + routes. */
import type { ServiceModule } from "../platform/host";
import { PropertyService } from "./application/commands";
import { propertyHandlers } from "./interface/http";
import { propertyRoutes } from "./interface/routes";
import { propertyInfrastructure } from "./infrastructure/storage";

export const propertyModule: ServiceModule = {
  name: "property",
  uses: ["bus"],
  async start(ctx) {
    const store = await ctx.writeStore();
    const { storage, relay } = propertyInfrastructure(store, ctx.rt, ctx.logger("relay"));
    const app = new PropertyService(storage);
    return { routes: propertyRoutes, handlers: propertyHandlers(app, () => relay.wake()), stop: () => relay.stop() };
  },
};
