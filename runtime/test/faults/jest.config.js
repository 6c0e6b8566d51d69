/** Jest config of the fault tests (npm run test:faults -> bash scripts/faults.sh); `npm test` ignores this folder. */
const base = require("../../../jest.config.js");
module.exports = {
  ...base,
  rootDir: "../../..",
  testMatch: ["<rootDir>/runtime/test/faults/**/*.fault.test.ts"],
  // (the base config ignores this folder, so `npm test` does not run them)
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 600_000,
  // a client handle left open must not keep the run alive: the tests stop their own processes
  forceExit: true,
};
