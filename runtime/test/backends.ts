/** Reads a local profile's manifest for the backend runners; fails clearly when the backends are not up. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readManifestFrom } from "../src/manifest/load";
import type { RuntimeManifest } from "../src/manifest/schema";

export type LocalProfile = "portable-local" | "gcp-emulated";

export function localManifest(profile: LocalProfile): RuntimeManifest {
  const path = join(__dirname, "..", "..", ".local", "manifests", `${profile}.json`);
  if (!existsSync(path)) throw new Error(`${path} is missing: the local backends are not up; run npm run backends:up`);
  return readManifestFrom({ kind: "file", path, description: `file ${path}` });
}
