import { existsSync, rmdirSync } from "fs";
import { join } from "path";
import { App, Aspects, type TerraformStack } from "cdktf";
import type { Environment } from "../environments";
import { HEXPROPERTY_PACK, PolicyAspect, enforcePolicy, reportLines, type Pack, type PolicyReport, type PolicySettings } from "../constructs/policy";
import { withSynthesisFastPaths } from "../constructs/core/tokens";
import { buildEnvironment, type EnvironmentStacks } from "./environment";

export interface PolicyOptions {
  /** Run the policy pack. Off only to measure what it costs (bench/synth.js). @default true */
  readonly enabled?: boolean;
  /** @default HEXPROPERTY_PACK */
  readonly pack?: Pack;
  /** Where warnings and suppressions go, each distinct line once per process. @default - stderr */
  readonly print?: (line: string) => void;
}

export interface BuildOptions {
  /** Output folder. @default - cdktf's default (`cdktf.out`, or CDKTF_OUTDIR when run by the cdktf CLI) */
  readonly outdir?: string;
  /** The policy pack run over every stack before anything is written. @default - the HexProperty pack, enabled */
  readonly policy?: PolicyOptions;
  /** Called after every environment is built and before the policy pack runs (add or change resources here). @default - nothing */
  readonly customize?: (stacks: Record<string, EnvironmentStacks>) => void;
}

/**
 * One app that synthesizes every environment given to it. The policy pack
 * runs here, over every stack, before `app.synth()` can write a file: an
 * error-level finding throws one error listing them all.
 */
export function buildApp(environments: readonly Environment[], options: BuildOptions = {}): { app: App; stacks: Record<string, EnvironmentStacks>; policy?: PolicyReport } {
  return withSynthesisFastPaths(() => build(environments, options));
}

/**
 * The app: synthesis (`app.synth()`) runs with cdktf's fast paths
 * (constructs/core/tokens.ts), as building and the policy pack do.
 */
class HexPropertyApp extends App {
  override synth(): void {
    withSynthesisFastPaths(() => super.synth());
  }
}

function build(environments: readonly Environment[], options: BuildOptions): { app: App; stacks: Record<string, EnvironmentStacks>; policy?: PolicyReport } {
  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
  // new App() creates the output folder and its `stacks` folder; a refused app removes what it created.
  const created = [join(outdir, "stacks"), outdir].filter((dir) => !existsSync(dir));
  const app = new HexPropertyApp({ outdir: options.outdir, stackTraces: false });
  const stacks: Record<string, EnvironmentStacks> = {};
  for (const env of environments) stacks[env.name] = buildEnvironment(app, env);
  options.customize?.(stacks);
  if (options.policy?.enabled === false) return { app, stacks };

  const pack = options.policy?.pack ?? HEXPROPERTY_PACK;
  const all: TerraformStack[] = [];
  for (const env of environments) {
    const built = stacks[env.name]!;
    const own = [built.platform, built.main].filter((s): s is TerraformStack => s !== undefined);
    const aspect = new PolicyAspect(pack, policySettings(env, own));
    for (const stack of own) Aspects.of(stack).add(aspect);
    all.push(...own);
  }
  let policy: PolicyReport;
  try {
    policy = enforcePolicy(all);
  } catch (error) {
    for (const dir of created) rmEmptyDir(dir);
    throw error;
  }
  const print = options.policy?.print ?? printOnce;
  for (const line of reportLines(policy)) print(line);
  return { app, stacks, policy };
}

/** What the environment asks of the policy rules, mapped from its config once. */
export function policySettings(env: Environment, stacks: readonly TerraformStack[]): PolicySettings {
  return {
    deletionProtection: env.protection.deletionProtection,
    pointInTimeRecovery: env.protection.pointInTimeRecovery,
    cacheHighAvailability: env.stack === "gcp" && env.gcp.redisTier === "STANDARD_HA",
    region: env.stack === "gcp" ? env.gcp.region : undefined,
    // The interface layer (the gateway) is the public edge; its folder has the same name in both stacks.
    publicEdge: stacks.map((s) => `${s.node.path}/interface`),
  };
}

const printed = new Set<string>();
function printOnce(line: string): void {
  if (printed.has(line)) return;
  printed.add(line);
  process.stderr.write(`${line}\n`);
}

/** Removes `dir` if it is empty (never anything in it). */
function rmEmptyDir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty or already gone: leave it
  }
}
