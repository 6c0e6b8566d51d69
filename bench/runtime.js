// npm run bench:runtime — runs bench/runtime.ts through tsx (TypeScript source, no build step).
"use strict";
require("tsx/cjs");
require("./runtime.ts");
