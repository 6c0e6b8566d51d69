/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>"],
  testMatch: ["**/*.test.ts"],
  // runtime/test/faults: long fault tests with private brokers, run by `bash scripts/faults.sh` (npm run test:faults)
  testPathIgnorePatterns: ["/node_modules/", "/cdktf.out/", "/.local/", "/runtime/test/faults/"],
  transform: {
    // PGlite's CJS bundle uses import("fs"); see runtime/test/support/dynamic-import-transform.js
    "node_modules/@electric-sql/pglite/.+\\.c?js$": "<rootDir>/runtime/test/support/dynamic-import-transform.js",
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!@electric-sql/pglite/)"],
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  testTimeout: 60000,
};
