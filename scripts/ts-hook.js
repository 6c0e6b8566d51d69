// The project's TypeScript require hook (the CDKTF app, bench/, scripts): each .ts file is
// compiled once with swc (types stripped, no type check, no source maps) and
// cached under .local/tscache keyed by path, size and mtime. Start-up of the
// app is what `bench/synth` measures; a general-purpose loader (tsx) cost
// ~0.6 s per run in source-map and resolution work this project does not need.
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const cacheDir = path.join(__dirname, "..", ".local", "tscache");
let swc;

function compile(filename) {
  const stat = fs.statSync(filename);
  const key = crypto.createHash("sha1").update(`${filename}\0${stat.size}\0${stat.mtimeMs}`).digest("hex");
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    swc = swc || require("@swc/core");
    const { code } = swc.transformSync(fs.readFileSync(filename, "utf8"), {
      filename,
      jsc: { parser: { syntax: "typescript" }, target: "es2022" },
      module: { type: "commonjs" },
      sourceMaps: false,
    });
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, cached);
    return code;
  }
}

require.extensions[".ts"] = function loadTypeScript(module, filename) {
  module._compile(compile(filename), filename);
};
