import { App } from "cdktf";
import type { Environment } from "../environments";
import { buildEnvironment, type EnvironmentStacks } from "./environment";

export interface BuildOptions {
  /** Output folder. @default - cdktf's default (`cdktf.out`, or CDKTF_OUTDIR when run by the cdktf CLI) */
  readonly outdir?: string;
}

/** One app that synthesizes every environment given to it. */
export function buildApp(environments: readonly Environment[], options: BuildOptions = {}): { app: App; stacks: Record<string, EnvironmentStacks> } {
  const app = new App({ outdir: options.outdir, stackTraces: false });
  const stacks: Record<string, EnvironmentStacks> = {};
  for (const env of environments) stacks[env.name] = buildEnvironment(app, env);
  return { app, stacks };
}
