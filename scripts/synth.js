#!/usr/bin/env node
// Entry of the CDKTF app (cdktf.json "app", and `npm run synth`).
// Errors: one clear line first, detail after (with HEXPROPERTY_DEBUG=1).
process.env.CHECKPOINT_DISABLE = "1";
require("./ts-hook");
try {
  require("../stacks/main.ts").main();
} catch (error) {
  process.stderr.write(`hexproperty: ${error && error.message ? error.message : String(error)}\n`);
  if (process.env.HEXPROPERTY_DEBUG === "1" && error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}
