/**
 * @hexproperty/runtime: how a service connects to whatever the selected stack
 * provisioned. Load the manifest, connect, use the ports:
 *
 *   const rt = await connect(loadManifest());
 *   await rt.writeStore.save({ ... events: [...] });
 *
 * Adapters are not re-exported here (they load their drivers); import one
 * directly from "@hexproperty/runtime/adapters/<name>" when needed (package.json "exports"
 * is the public surface: ".", "./manifest", "./topology", "./adapters/*").
 */
export * from "./manifest/schema";
export * from "./ports";
export * from "./errors";
export { loadManifest, loadManifestWithSource, findManifestSource, readManifestFrom, parseManifest } from "./manifest/load";
export type { LoadManifestOptions, LoadedManifest, ManifestSource } from "./manifest/load";
export { connect } from "./connect";
export type { ConnectOptions, Runtime } from "./connect";
export { createTelemetry, createLogger, OtelTelemetry } from "./telemetry";
export type { TelemetryOptions, LoggerSettings, TraceRef } from "./telemetry";
export { createFlags, ManifestFlags } from "./flags";
export type { FlagsOptions } from "./flags";
export { OutboxRelay } from "./outbox/relay";
export type { OutboxRelayOptions } from "./outbox/relay";
export { EventDeduplicator, dedupeHandler, memoryDedupeStore, cacheDedupeStore } from "./outbox/dedupe";
export type { DedupeStore } from "./outbox/dedupe";
export { withKnownStreams } from "./outbox/streams";
export { resolveSecret } from "./secrets";
