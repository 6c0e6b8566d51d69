/** The projector's composition root: its state store, the read model, the search cache invalidation, the subscriptions. */
import type { ServiceModule } from "../platform/host";
import { aggregateStorage } from "../platform/runtime";
import { SearchCacheInvalidation } from "../search/application/search";
import { Projector } from "./application/project";
import { readStoreModel } from "./infrastructure/read-model";
import { subscribeProjector } from "./interface/subscriptions";

export const projectorModule: ServiceModule = {
  name: "projector",
  uses: ["bus", "readStore", "cache"],
  async start(ctx) {
    const store = await ctx.writeStore();
    const projector = new Projector(aggregateStorage(store), readStoreModel(ctx.rt.readStore), new SearchCacheInvalidation(ctx.rt.cache));
    const handles = await subscribeProjector(ctx.rt, projector, ctx.logger("subscriptions"));
    return {
      routes: [],
      handlers: {},
      stop: async () => {
        await Promise.allSettled(handles.map((h) => h.close()));
      },
    };
  },
};
