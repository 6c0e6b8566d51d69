/**
 * `@hexproperty/runtime/manifest`: the runtime manifest's schema, its types
 * and its loader. The stacks validate what they synthesize against this
 * schema; the services load it. No client library is imported here.
 */
export * from "./schema";
export * from "./ports";
export { loadManifest, loadManifestWithSource, findManifestSource, readManifestFrom, parseManifest } from "./load";
export type { LoadManifestOptions, LoadedManifest, ManifestSource } from "./load";
