/**
 * The app entry: validate every environment first (a bad value stops here,
 * before anything is written), then build and synthesize all stacks.
 */
import { loadEnvironments } from "../environments";

export function main(): void {
  const environments = loadEnvironments();
  // Loaded only after validation: a config error costs no cdktf start-up and writes nothing.
  const { buildApp } = require("./app") as typeof import("./app");
  const { app, stacks } = buildApp(environments);
  app.synth();
  const names = Object.values(stacks).flatMap((s) => [s.platform?.node.id, s.main.node.id]).filter((n): n is string => n !== undefined);
  process.stderr.write(`synthesized ${names.length} stacks: ${names.join(", ")}\n`);
}
