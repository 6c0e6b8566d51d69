// npm run bench:runtime — runs bench/runtime.ts as TypeScript source (no build step), through the project's require hook.
"use strict";
require("../scripts/ts-hook");
require("./runtime.ts");
