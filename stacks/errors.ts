/** Errors the stacks can raise while synthesizing. */
import type { z } from "zod";

/** A stack built a manifest that the runtime would reject: a bug in a layer, never the user's config. */
export function invalidSynthesizedManifest(environment: string, issue: z.core.$ZodIssue): Error {
  return new Error(`stack for "${environment}" built a runtime manifest the runtime would reject at ${issue.path.join(".") || "(root)"}: ${issue.message} (a layer's contract is out of step with runtime/src/manifest/schema.ts)`);
}
