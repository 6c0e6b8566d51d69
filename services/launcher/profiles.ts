/**
 * The three local profiles and their manifests:
 * - embedded: written here (PGlite in a folder, in-process bus and cache, the dev issuer);
 * - portable-local / gcp-emulated: .local/manifests/<profile>.json, written by `npm run backends:up`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { validateManifest, type RuntimeManifest } from "@hexproperty/runtime/manifest";

export const PROFILES = ["embedded", "portable-local", "gcp-emulated"] as const;
export type Profile = (typeof PROFILES)[number];

export const DEV_AUTH = { issuer: "https://auth.hexproperty.local", audience: "hexproperty-api", jwksUri: "file://.local/dev-jwks.json" } as const;

export function embeddedManifest(dataDir: string): RuntimeManifest {
  const streams = {
    property: { topic: "property-events", deadLetterTopic: "property-events-dlq" },
    leasing: { topic: "leasing-events", deadLetterTopic: "leasing-events-dlq" },
  };
  const sub = (stream: string) => ({ stream, subscription: `projector-${stream}`, maxDeliveryAttempts: 5, ackDeadlineSeconds: 30 });
  return {
    version: 1,
    environment: "local",
    stack: "embedded",
    eventBus: { kind: "memory", streams, subscriptions: { "projector-property": sub("property"), "projector-leasing": sub("leasing") } },
    writeStore: { kind: "pglite", dataDir },
    readStore: { kind: "pglite", dataDir },
    cache: { kind: "memory", maxEntries: 10_000 },
    telemetry: { logFormat: "console", logLevel: "warn", traceBackend: "none", traceSampleRatio: 0, metricPrefix: "hexproperty" },
    flags: { searchCache: true },
    auth: { ...DEV_AUTH },
    services: {},
  };
}

/**
 * The embedded profile's manifest file next to its data: written on first
 * start, then kept (edit its flags while running: they apply without a restart).
 */
export function ensureEmbeddedManifest(dataDir: string): string {
  const file = join(dirname(resolve(dataDir)), "manifest.json");
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(embeddedManifest(resolve(dataDir)), null, 2)}\n`);
  }
  return file;
}

export function profileManifestFile(profile: Exclude<Profile, "embedded">, root: string): string {
  const file = join(root, ".local", "manifests", `${profile}.json`);
  if (!existsSync(file)) throw new Error(`profile ${profile}: ${file} is missing; start the local backends first: npm run backends:up`);
  return file;
}

export function readManifestFile(file: string): RuntimeManifest {
  const r = validateManifest(JSON.parse(readFileSync(file, "utf8")));
  if (!r.ok) throw new Error(`manifest ${file}: at ${r.issues[0]!.path}: ${r.issues[0]!.message}`);
  return r.manifest;
}
