/** The search service's composition root: read model + cache + the searchCache flag. */
import type { ServiceModule } from "../platform/host";
import { SEARCH_CACHE_FLAG, SearchService } from "./application/search";
import { readStoreSearch } from "./infrastructure/read-model";
import { searchHandlers } from "./interface/http";
import { searchRoutes } from "./interface/routes";

export const searchModule: ServiceModule = {
  name: "search",
  uses: ["readStore", "cache"],
  async start(ctx) {
    const flags = ctx.rt.flags;
    // on unless the manifest says "searchCache": false; read per request, so a flag change applies without a restart
    const cacheEnabled = () => flags.all()[SEARCH_CACHE_FLAG] !== false;
    const app = new SearchService(readStoreSearch(ctx.rt.readStore), ctx.rt.cache, cacheEnabled);
    return { routes: searchRoutes, handlers: searchHandlers(app), stop: async () => undefined };
  },
};
