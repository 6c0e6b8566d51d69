/** Every service, in start order (the projector first, so nothing published is missed on an in-process bus). */
import { leasingModule } from "./leasing/index";
import { projectorModule } from "./projector/index";
import { propertyModule } from "./property/index";
import { searchModule } from "./search/index";
import type { ServiceModule } from "./platform/host";

export const allModules: readonly ServiceModule[] = [projectorModule, propertyModule, leasingModule, searchModule];
