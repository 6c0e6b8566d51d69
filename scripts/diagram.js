#!/usr/bin/env node
// `npm run diagram`: docs/diagrams/<env>.svg for every environment (scripts/diagram-svg.ts).
"use strict";
process.env.CHECKPOINT_DISABLE = "1";
require("./ts-hook");
try {
  const files = require("./diagram-svg.ts").main();
  process.stderr.write(`wrote ${files.map((f) => require("path").relative(process.cwd(), f)).join(", ")}\n`);
} catch (error) {
  process.stderr.write(`diagram: ${error && error.message ? error.message : String(error)}\n`);
  process.exit(1);
}
