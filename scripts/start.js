// `npm start` / `npm run token`: loads the TypeScript launcher (services/launcher/start.ts) through the project's hook.
"use strict";
require("./ts-hook.js");
require("../services/launcher/start.ts").main(process.argv.slice(2)).catch((e) => {
  const msg = (e && e.message ? e.message : String(e)).split("\n")[0];
  process.stderr.write(`hexproperty: cannot start: ${msg}${/EADDRINUSE/.test(msg) ? " (the port is taken; pick another with npm start -- --port 8081)" : ""}\n`);
  process.exit(1);
});
