import { ENVIRONMENTS, loadEnvironments, mergePatch, EnvironmentConfigError } from "../environments";
import { BAD_VALUES } from "./support/bad-values";


describe("environment configs", () => {
  test("given the shipped files, when loaded, then dev runs portable and staging and prod run gcp", () => {
    expect(loadEnvironments({ overrides: {}, only: ["dev", "staging", "prod"] }).map((e) => [e.name, e.stack])).toEqual([["dev", "portable"], ["staging", "gcp"], ["prod", "gcp"]]);
  });

  test.each(BAD_VALUES)("given %s, when loaded, then one line names environment, key path, value and what is allowed", (_what, overrides, message) => {
    let error: unknown;
    try {
      loadEnvironments({ overrides });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvironmentConfigError);
    expect((error as Error).message).toBe(message);
    expect((error as Error).message).not.toContain("\n");
  });

  test("given a file registered under another name, when loaded, then the name mismatch is reported", () => {
    expect(() => loadEnvironments({ configs: { qa: ENVIRONMENTS.dev }, overrides: {}, only: ["qa"] })).toThrow('invalid environment "qa": name = "dev" is not allowed; expected "qa" (the name the environment is registered under)');
  });

  test("given an override for an unknown environment, when loaded, then the known ones are listed", () => {
    expect(() => loadEnvironments({ overrides: { qa: { stack: "gcp" } } })).toThrow('unknown environment "qa" in HEXPROPERTY_OVERRIDES; known environments: dev, staging, prod');
  });

  test("given a selection, when loaded, then only those are returned but all are still validated", () => {
    expect(loadEnvironments({ overrides: {}, only: ["prod"] }).map((e) => e.name)).toEqual(["prod"]);
    expect(() => loadEnvironments({ overrides: { dev: { stack: "x" } }, only: ["prod"] })).toThrow(/invalid environment "dev"/);
  });

  test("given a merge patch, when applied, then objects merge, null deletes and scalars replace", () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, d: 3 }, { a: { b: 9, c: null }, e: [1] })).toEqual({ a: { b: 9 }, d: 3, e: [1] });
  });
});
