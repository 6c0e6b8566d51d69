// bench/http's baseline: a bare express handler returning the same JSON the cached search returns (its own process, like the service).
"use strict";
const express = require("express");
const body = process.argv[2] ?? "{}";
const app = express();
app.disable("x-powered-by");
app.set("etag", false);
app.get("/search/units", (_req, res) => {
  res.type("application/json").send(body);
});
const server = app.listen(0, "127.0.0.1", () => process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
