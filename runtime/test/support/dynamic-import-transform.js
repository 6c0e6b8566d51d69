/**
 * Jest transform for PGlite's CommonJS bundle: it loads Node built-ins with
 * `await import("fs")`, which jest's VM refuses without
 * --experimental-vm-modules. Rewrites import("<literal>") to a resolved
 * require() so the embedded profile's tests run under plain `npx jest`.
 */
const crypto = require("node:crypto");

module.exports = {
  process(source) {
    // The bundle declares its own `var require` in places, so keep jest's under another name.
    const code = source.replace(/(?<![\w$.])import\((["'][^"']+["'])\)/g, "Promise.resolve(__hpJestRequire($1))");
    return { code: code === source ? source : `var __hpJestRequire = require;${code}` };
  },
  getCacheKey(source, path) {
    return crypto.createHash("sha1").update("dynamic-import-transform-v2").update(path).update(source).digest("hex");
  },
};
