/**
 * Every error the constructs and stacks can raise, built by named factories:
 * what went wrong, why, and how to fix it, on one line.
 */
import type { z } from "zod";

export function unknownStream(stream: string, known: readonly string[]): Error {
  return new Error(`unknown event stream "${stream}"; streams of this environment: ${known.join(", ")} (add it to the domain catalog, constructs/domain/catalog.ts)`);
}

export function unknownSubscription(subscription: string, known: readonly string[]): Error {
  return new Error(`unknown subscription "${subscription}"; subscriptions of this environment: ${known.join(", ")} (consumers are declared per stream in constructs/domain/catalog.ts)`);
}

export function wrongIdentityKind(name: string, kind: string, expected: string): Error {
  return new Error(`identity "${name}" is a ${kind}; this grant needs a ${expected} (was a portable identity passed to a gcp layer, or the reverse?)`);
}

export function nameTooLong(name: string, limit: number, what: string): Error {
  return new Error(`name "${name}" is ${name.length} characters; ${what} allow at most ${limit} (shorten the environment or workload name)`);
}

export function unknownWorkload(workload: string, known: readonly string[]): Error {
  return new Error(`domain catalog names workload "${workload}", which is neither a microservice nor a processor (${known.join(", ")}); declare it in constructs/domain/catalog.ts`);
}

export function unknownWriteOwner(workload: string, owners: readonly string[]): Error {
  return new Error(`workload "${workload}" owns no write database; owners of this environment: ${owners.join(", ")} (give it the "write" data use in constructs/domain/catalog.ts)`);
}

export function unsupportedCloudRunSize(workload: string, setting: string, value: unknown, allowed: string): Error {
  return new Error(`workload "${workload}": ${setting} ${JSON.stringify(value)} is not possible on Cloud Run; ${allowed} (change services.${workload} in the environment file)`);
}

export function unsupportedGatewayRegion(region: string, supported: readonly string[]): Error {
  return new Error(`API Gateway has no gateways in region "${region}"; regions it serves: ${supported.join(", ")} (set gcp.gatewayRegion to one of them)`);
}

export function missingImageDigest(workload: string): Error {
  return new Error(`workload "${workload}" has no image digest; Cloud Run runs images by immutable digest only (set gcp.imageDigests.${workload} to the sha256:... CI pushed)`);
}

export function unmountableSecret(workload: string, reference: string): Error {
  return new Error(`workload "${workload}": the manifest references ${reference}, which no layer of this stack created, so it cannot be mounted (create the secret in a layer and report it in secretSources)`);
}

/** A stack built a manifest that the runtime would reject: a bug in a layer, never the user's config. */
export function invalidSynthesizedManifest(environment: string, issue: z.core.$ZodIssue): Error {
  return new Error(`stack for "${environment}" built a runtime manifest the runtime would reject at ${issue.path.join(".") || "(root)"}: ${issue.message} (a layer's contract is out of step with @hexproperty/runtime/manifest)`);
}

/** For exhaustive switches over unions: the compiler proves this is never called. */
export function unreachable(value: never, what: string): never {
  throw new Error(`unexpected ${what} ${JSON.stringify(value)} (a new union member needs handling here)`);
}

export function missingWorkloadSetting(workload: string, setting: string): Error {
  return new Error(`workload "${workload}" has no ${setting} on the portable stack (set portable.images.${workload} and services.${workload} in the environment file)`);
}

export function mixedPathGroup(prefix: string, services: readonly string[]): Error {
  return new Error(`the OpenAPI paths under "${prefix}" are served by several services (${services.join(", ")}); one gateway route per path group needs one service (give each service its own first path segment in services/*/interface)`);
}
