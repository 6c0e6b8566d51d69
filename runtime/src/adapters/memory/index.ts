export { MemoryEventBus, createMemoryEventBus } from "./eventbus";
export { MemoryCache, createMemoryCache } from "./cache";
export * from "./settings";
