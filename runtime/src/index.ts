export * from "./manifest/schema";
export * from "./ports";
