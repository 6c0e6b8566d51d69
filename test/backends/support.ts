/**
 * Shared by the local-backend smoke tests: reads a manifest that
 * `npm run backends:up` wrote under .local/manifests and names per-run
 * resources so runs never collide.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { validateManifest, type RuntimeManifest } from "@hexproperty/runtime/manifest";

export type LocalProfile = "portable-local" | "gcp-emulated";

export function manifestPath(profile: LocalProfile): string {
  return resolve(__dirname, "..", "..", ".local", "manifests", `${profile}.json`);
}

/** Reads and validates a local profile's manifest; fails with what to run when it is missing. */
export function loadLocalManifest(profile: LocalProfile): RuntimeManifest {
  const file = manifestPath(profile);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`no ${profile} manifest at ${file}: run npm run backends:up (it starts the local backends and writes it)`);
  }
  const result = validateManifest(JSON.parse(text));
  if (!result.ok) {
    throw new Error(`${file} is invalid: ${result.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  }
  return result.manifest;
}

/** Narrows a manifest block to the kind a test needs, or says what it found instead. */
export function expectKind<T extends { kind: string }, K extends T["kind"]>(block: T, kind: K, where: string): Extract<T, { kind: K }> {
  if (block.kind !== kind) throw new Error(`${where}.kind is "${block.kind}", expected "${kind}"`);
  return block as Extract<T, { kind: K }>;
}

/** A lower-case name unique to this run: prefix_<time>_<random>. */
export function uniqueName(prefix: string, separator = "_"): string {
  return [prefix, Date.now().toString(36), Math.random().toString(36).slice(2, 8)].join(separator);
}

export function splitHostPort(hostPort: string): { host: string; port: number } {
  const at = hostPort.lastIndexOf(":");
  return { host: hostPort.slice(0, at), port: Number(hostPort.slice(at + 1)) };
}

/**
 * Google's clients look for a GCE metadata server (a non-loopback address)
 * while resolving credentials, even when they talk to an emulator with
 * insecure credentials. Nothing local answers there; say so up front so no
 * request leaves the machine.
 */
export function withoutMetadataServer(): void {
  process.env.METADATA_SERVER_DETECTION = "none";
}
