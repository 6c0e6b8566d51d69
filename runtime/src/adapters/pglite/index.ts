export { createPgliteWriteStore } from "./writestore";
export { createPgliteReadStore, PgliteReadStore } from "./readstore";
export { acquirePglite } from "./database";
export * from "./settings";
