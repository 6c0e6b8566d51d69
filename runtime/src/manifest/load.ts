/**
 * Finds, parses and validates the runtime manifest. Sources, first match wins:
 *  1. HEXPROPERTY_MANIFEST       — the JSON itself (Cloud Run env var);
 *  2. HEXPROPERTY_MANIFEST_FILE  — path to the JSON (ConfigMap mount, local profiles);
 *  3. HEXPROPERTY_OUTPUTS_FILE + HEXPROPERTY_STACK — a `cdktf output --outputs-file`
 *     file: { "<stack>": { "runtime_manifest": "<json string or object>" } }.
 * A bad manifest fails with ONE line naming the source, the key path and the problem.
 */
import { readFileSync } from "node:fs";
import { manifestInvalid, manifestNotJson, manifestSourceMissing, manifestUnreadable, outputsManifestMissing, outputsStackMissing } from "../errors";
import { validateManifest, type RuntimeManifest } from "./schema";

export interface LoadManifestOptions {
  /** Environment to read the variables from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Where a manifest came from; a file source can be watched (flags). */
export type ManifestSource =
  | { readonly kind: "env"; readonly variable: string; readonly description: string }
  | { readonly kind: "file"; readonly path: string; readonly description: string }
  | { readonly kind: "outputs"; readonly path: string; readonly stack: string; readonly description: string };

export interface LoadedManifest {
  readonly manifest: RuntimeManifest;
  readonly source: ManifestSource;
}

export function loadManifest(options: LoadManifestOptions = {}): RuntimeManifest {
  return loadManifestWithSource(options).manifest;
}

/** Like loadManifest, and says which source it used. */
export function loadManifestWithSource(options: LoadManifestOptions = {}): LoadedManifest {
  const source = findManifestSource(options);
  return { manifest: readManifestFrom(source, options.env ?? process.env), source };
}

export function findManifestSource(options: LoadManifestOptions = {}): ManifestSource {
  const env = options.env ?? process.env;
  if (env.HEXPROPERTY_MANIFEST !== undefined && env.HEXPROPERTY_MANIFEST !== "") {
    return { kind: "env", variable: "HEXPROPERTY_MANIFEST", description: "env HEXPROPERTY_MANIFEST" };
  }
  if (env.HEXPROPERTY_MANIFEST_FILE) {
    const path = env.HEXPROPERTY_MANIFEST_FILE;
    return { kind: "file", path, description: `file ${path} (HEXPROPERTY_MANIFEST_FILE)` };
  }
  if (env.HEXPROPERTY_OUTPUTS_FILE) {
    const path = env.HEXPROPERTY_OUTPUTS_FILE;
    const stack = env.HEXPROPERTY_STACK ?? "";
    return { kind: "outputs", path, stack, description: `cdktf outputs file ${path}${stack ? ` stack ${stack}` : ""} (HEXPROPERTY_OUTPUTS_FILE)` };
  }
  throw manifestSourceMissing();
}

/** Reads and validates the manifest of one source (used again by flag watching). */
export function readManifestFrom(source: ManifestSource, env: Readonly<Record<string, string | undefined>> = process.env): RuntimeManifest {
  switch (source.kind) {
    case "env":
      return parseManifest(env[source.variable] ?? "", source.description);
    case "file":
      return parseManifest(readText(source.path, source.description), source.description);
    case "outputs": {
      const outputs = parseJson(readText(source.path, source.description), source.description);
      const stacks = outputs && typeof outputs === "object" && !Array.isArray(outputs) ? (outputs as Record<string, unknown>) : {};
      const entry = source.stack ? stacks[source.stack] : undefined;
      if (!source.stack || entry === undefined || entry === null || typeof entry !== "object") throw outputsStackMissing(source.description, source.stack || undefined, Object.keys(stacks));
      const value = (entry as Record<string, unknown>).runtime_manifest;
      if (value === undefined) throw outputsManifestMissing(source.description, source.stack);
      const description = `${source.description} output runtime_manifest`;
      return validated(typeof value === "string" ? parseJson(value, description) : value, description);
    }
  }
}

/** Parses and validates manifest JSON text; `source` names it in errors. */
export function parseManifest(text: string, source: string): RuntimeManifest {
  return validated(parseJson(text, source), source);
}

function validated(value: unknown, source: string): RuntimeManifest {
  const token = findUnresolvedToken(value, []);
  if (token) throw manifestInvalid(source, [{ path: token.path.join(".") || "(root)", message: `unresolved Terraform token ${JSON.stringify(token.text.length > 60 ? `${token.text.slice(0, 57)}...` : token.text)}; read the manifest from the stack's runtime_manifest output after apply (cdktf output), not from the synthesized cdk.tf.json` }]);
  const result = validateManifest(value);
  if (!result.ok) throw manifestInvalid(source, result.issues);
  return result.manifest;
}

function readText(path: string, source: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw manifestUnreadable(source, e);
  }
}

/** The first string value that still holds a Terraform token (`${...}`), with its key path. */
function findUnresolvedToken(value: unknown, path: readonly string[]): { path: readonly string[]; text: string } | undefined {
  if (typeof value === "string") return /\$\{[^}]*\}/.test(value) ? { path, text: value } : undefined;
  if (value === null || typeof value !== "object") return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = findUnresolvedToken(child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

function parseJson(text: string, source: string): unknown {
  try {
    // A file saved by some Windows editors starts with a UTF-8 byte-order mark; JSON.parse refuses it.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw manifestNotJson(source, e);
  }
}
