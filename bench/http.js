// npm run bench:http — runs bench/http.ts as TypeScript source through the project's require hook.
"use strict";
require("../scripts/ts-hook");
require("./http.ts");
