/**
 * Image digests from the image build (gcp stack). The environment files hold
 * `gcp.imageDigests` as the all-zero placeholder: no build is ever committed.
 * The build step of the deploy workflow pushes the images and writes their
 * digests to a JSON file, `{"property":"sha256:...","leasing":...}`, and
 * synthesis takes them from `HEXPROPERTY_IMAGE_DIGESTS=<that file>`. Without
 * the file the placeholder stays: `synth` and `cdktf diff` on a pull request
 * work, and the Cloud Run services' precondition refuses to apply it
 * (constructs/core/cloud-run.ts).
 */
import { readFileSync } from "node:fs";
import { SERVICE_NAMES } from "./schema";
import { parseJsonObject } from "./json";

/** What the environment files carry until a build is deployed; it names no image. */
export const PLACEHOLDER_DIGEST = `sha256:${"0".repeat(64)}`;

/** Workload -> digest, as the build wrote them. */
export type ImageDigests = Readonly<Record<string, string>>;

/** Reads the file `HEXPROPERTY_IMAGE_DIGESTS` names; undefined when unset. One line on any problem. */
export function readImageDigests(file: string | undefined): ImageDigests | undefined {
  if (file === undefined || file.trim() === "") return undefined;
  const bad = (detail: string) => new Error(`invalid HEXPROPERTY_IMAGE_DIGESTS=${file}: ${detail}; expected the JSON file the image build writes, {"property":"sha256:<64 hex>", ...} for ${SERVICE_NAMES.join(", ")}`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw bad(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const digests = parseJsonObject(text, bad);
  for (const name of SERVICE_NAMES) if (!(name in digests)) throw bad(`"${name}" is missing`);
  for (const [name, digest] of Object.entries(digests)) {
    if (!(SERVICE_NAMES as readonly string[]).includes(name)) throw bad(`"${name}" is not a workload`);
    if (digest === PLACEHOLDER_DIGEST) throw bad(`"${name}" is the all-zero placeholder, not a built image`);
  }
  return digests as ImageDigests;
}

/** The merge patch that puts `digests` into an environment's gcp settings (none when it has no gcp block). */
export function imageDigestsPatch(config: unknown, digests: ImageDigests | undefined): unknown {
  const hasGcp = config !== null && typeof config === "object" && "gcp" in config;
  return digests && hasGcp ? { gcp: { imageDigests: { ...digests } } } : undefined;
}
