/**
 * Configuration rejects what the clouds would reject (issue 8, item 5): each
 * bad value gives one line naming environment, key path, value and what is
 * allowed — in-process, and through `node scripts/synth.js` (exit 1, one
 * stderr line, output folder unchanged).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ENVIRONMENTS, EnvironmentConfigError, FLAGS, loadEnvironments, parseOverrides, validateEnvironment } from "../environments";
import { bucketNameProblem } from "../environments/bucket";
import { findJsonProblem } from "../environments/json";
import { closest, editDistance } from "../environments/suggest";
import { runSynth, treeHash } from "./support/synth-cli";

const LABEL_KEY = "a label key that GCP and Kubernetes both accept: 1-63 lower-case letters, digits, '_' or '-', starting with a lower-case letter and ending with a letter or digit";
const LABEL_VALUE = "a label value that GCP and Kubernetes both accept: empty, or at most 63 lower-case letters, digits, '_' or '-', starting and ending with a letter or digit";
const HTTPS = "an https:// URL such as https://auth.example.com/path";

/** [what, HEXPROPERTY_OVERRIDES text, the one line expected]. */
const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ["a state bucket with the goog prefix", '{"prod":{"backend":{"bucket":"goog-hexproperty-state"}}}', 'invalid environment "prod": backend.bucket = "goog-hexproperty-state" is not allowed; expected a Cloud Storage bucket name: a name that does not begin with "goog" (reserved by Google)'],
  ["a state bucket with google in it", '{"prod":{"backend":{"bucket":"hexproperty-google-state"}}}', 'invalid environment "prod": backend.bucket = "hexproperty-google-state" is not allowed; expected a Cloud Storage bucket name: a name without "google" or a close misspelling of it such as "g00gle" (reserved by Google)'],
  ["a state bucket with g00gle in it", '{"staging":{"backend":{"bucket":"state-g00gle"}}}', 'invalid environment "staging": backend.bucket = "state-g00gle" is not allowed; expected a Cloud Storage bucket name: a name without "google" or a close misspelling of it such as "g00gle" (reserved by Google)'],
  ["a state bucket with consecutive dots", '{"prod":{"backend":{"bucket":"state..hexproperty.example"}}}', 'invalid environment "prod": backend.bucket = "state..hexproperty.example" is not allowed; expected a Cloud Storage bucket name: a name without consecutive dots'],
  ["a state bucket that is an IP address", '{"prod":{"backend":{"bucket":"192.168.5.4"}}}', 'invalid environment "prod": backend.bucket = "192.168.5.4" is not allowed; expected a Cloud Storage bucket name: a name that is not an IP address (dotted-decimal form)'],
  ["a javascript: issuer", '{"prod":{"auth":{"issuer":"javascript:alert(1)"}}}', `invalid environment "prod": auth.issuer = "javascript:alert(1)" is not allowed; expected ${HTTPS}`],
  ["a plain-HTTP JWKS URI", '{"dev":{"auth":{"jwksUri":"http://auth.dev.hexproperty.example/jwks.json"}}}', `invalid environment "dev": auth.jwksUri = "http://auth.dev.hexproperty.example/jwks.json" is not allowed; expected ${HTTPS}`],
  ["a misspelt flag", '{"dev":{"flags":{"searchCach":true}}}', 'invalid environment "dev": flags.searchCach = true is not allowed; expected a flag declared in environments/flags.ts (leaseESignature, searchCache) — did you mean "searchCache"?'],
  ["an undeclared flag", '{"staging":{"flags":{"darkMode":false}}}', 'invalid environment "staging": flags.darkMode = false is not allowed; expected a flag declared in environments/flags.ts (leaseESignature, searchCache)'],
  ["a key given twice", '{"dev":{"events":{"partitions":3,"partitions":6}}}', 'invalid environment "dev": events.partitions = 6 is not allowed; expected the key once in HEXPROPERTY_OVERRIDES (it is given twice, first as 3; the last one would silently win)'],
  ["a key given twice deep down", '{"dev":{"services":{"search":{"cpu":1}},"services":{"search":{"cpu":2}}}}', 'invalid environment "dev": services = {"search":{"cpu":2}} is not allowed; expected the key once in HEXPROPERTY_OVERRIDES (it is given twice, first as {"search":{"cpu":1}}; the last one would silently win)'],
  ["an environment given twice", '{"dev":{"stack":"gcp"},"dev":{"stack":"portable"}}', 'invalid HEXPROPERTY_OVERRIDES: "dev" is given twice; expected each environment once (the last one would silently win)'],
  ["a number too large for a double", '{"dev":{"events":{"partitions":1e400}}}', 'invalid environment "dev": events.partitions = 1e400 is not allowed; expected a finite number'],
  ["a label key with upper case", '{"dev":{"labels":{"Team":"core"}}}', `invalid environment "dev": labels = "Team" is not allowed; expected ${LABEL_KEY}`],
  ["a prefixed label key GCP refuses", '{"dev":{"labels":{"example.com/team":"core"}}}', `invalid environment "dev": labels = "example.com/team" is not allowed; expected ${LABEL_KEY}`],
  ["a label value with a dot", '{"staging":{"labels":{"team":"core.platform"}}}', `invalid environment "staging": labels.team = "core.platform" is not allowed; expected ${LABEL_VALUE}`],
  ["a label value Kubernetes refuses", '{"prod":{"labels":{"team":"-core"}}}', `invalid environment "prod": labels.team = "-core" is not allowed; expected ${LABEL_VALUE}`],
  ["an unknown key next to a missing one", '{"staging":{"gcp":{"regoin":"europe-west1","region":null}}}', 'invalid environment "staging": gcp.regoin = "europe-west1" is not allowed; expected no key "regoin" here (unknown key — did you mean "region"?); gcp.region is missing'],
];

function stagingGcp() {
  const { gcp } = ENVIRONMENTS.staging;
  if (!gcp) throw new Error("staging.ts has no gcp block");
  return gcp;
}

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("configuration rejects what the clouds would reject", () => {
  test.each(CASES)("given %s, when loaded, then one line names it", (_what, text, message) => {
    expect(messageOf(() => loadEnvironments({ overrides: parseOverrides(text), only: [] }))).toBe(message);
  });

  test("given the shipped environment files, when loaded, then all of them pass", () => {
    expect(loadEnvironments({ overrides: {} }).map((e) => e.name)).toEqual(["dev", "staging", "prod"]);
  });

  test("given an environment file whose gcp block misspells region, when validated, then the unknown and the missing key are both named", () => {
    const { region, ...gcp } = stagingGcp();
    const config = { ...ENVIRONMENTS.staging, gcp: { ...gcp, regoin: region } };
    expect(messageOf(() => validateEnvironment("staging", config))).toBe('invalid environment "staging": gcp.regoin = "europe-west1" is not allowed; expected no key "regoin" here (unknown key — did you mean "region"?); gcp.region is missing');
  });

  test("given two keys missing next to an unknown one, when validated, then both missing keys are listed", () => {
    const { redisTier: _tier, redisMemoryGb: _memory, ...gcp } = stagingGcp();
    const config = { ...ENVIRONMENTS.staging, gcp: { ...gcp, redis: { tier: "BASIC" } } };
    expect(messageOf(() => validateEnvironment("staging", config))).toBe('invalid environment "staging": gcp.redis = {"tier":"BASIC"} is not allowed; expected no key "redis" here (unknown key); gcp.redisTier, gcp.redisMemoryGb are missing');
  });

  test("given an unknown key without a missing one, when loaded, then the closest known key is suggested", () => {
    expect(messageOf(() => loadEnvironments({ overrides: { prod: { events: { retentionHour: 1 } } } }))).toBe('invalid environment "prod": events.retentionHour = 1 is not allowed; expected no key "retentionHour" here (unknown key — did you mean "retentionHours"?)');
  });

  test("given an unknown key nothing resembles, when loaded, then no key is suggested", () => {
    expect(messageOf(() => loadEnvironments({ overrides: { dev: { portable: { zzz: 1 } } } }))).toBe('invalid environment "dev": portable.zzz = 1 is not allowed; expected no key "zzz" here (unknown key; check its spelling)');
  });

  test("given a backend block of another kind, when a key is misspelt, then keys of the selected kind are suggested", () => {
    expect(messageOf(() => loadEnvironments({ overrides: { dev: { backend: { secretSufix: "x" } } } }))).toBe('invalid environment "dev": backend.secretSufix = "x" is not allowed; expected no key "secretSufix" here (unknown key — did you mean "secretSuffix"?)');
  });

  test("given a flag left out, when loaded, then it takes the catalog's default", () => {
    const [dev] = loadEnvironments({ configs: { dev: { ...ENVIRONMENTS.dev, flags: {} } }, overrides: {} });
    expect(dev!.flags).toEqual({ leaseESignature: FLAGS.leaseESignature.default, searchCache: FLAGS.searchCache.default });
  });

  test("given an environment file with an infinite number, when loaded, then the value is shown as Infinity, not null", () => {
    const config = { ...ENVIRONMENTS.dev, events: { ...ENVIRONMENTS.dev.events, partitions: Infinity } };
    expect(messageOf(() => loadEnvironments({ configs: { dev: config }, overrides: {} }))).toBe('invalid environment "dev": events.partitions = Infinity is not allowed; expected a finite number');
  });

  test("given an https issuer with a path, when loaded, then it is accepted; credentials in the URL are not", () => {
    expect(() => loadEnvironments({ overrides: { dev: { auth: { issuer: "https://auth.example.com/realms/hp" } } } })).not.toThrow();
    expect(messageOf(() => loadEnvironments({ overrides: { dev: { auth: { issuer: "https://user:pw@auth.example.com" } } } }))).toMatch(/^invalid environment "dev": auth\.issuer = .* expected an https:\/\/ URL/);
  });

  test("given an override key named __proto__, when loaded, then it is an unknown key, not a prototype", () => {
    expect(messageOf(() => loadEnvironments({ overrides: parseOverrides('{"dev":{"__proto__":{"stack":"gcp"}}}') }))).toMatch(/^invalid environment "dev": __proto__ = \{"stack":"gcp"\} is not allowed; expected no key "__proto__" here/);
  });

  test.each(["hexproperty-prod-tfstate", "a_b", "abc", "state.hexproperty.example", `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}`, "goo-state", "gogetter"])("given the bucket name %s, then Cloud Storage accepts it", (name) => {
    expect(bucketNameProblem(name)).toBeUndefined();
  });

  test.each(["ab", "a".repeat(64), `${"a".repeat(64)}.b`, "State", "-state", "state_", "state bucket", "googbucket", "my-gooogle", "my-goo-gle", "gogle-state", "10.0.0.1", "a..b"])("given the bucket name %s, then it is refused", (name) => {
    expect(bucketNameProblem(name)).toMatch(/^a Cloud Storage bucket name: /);
  });

  test("given JSON with keys equal after unescaping, when scanned, then the duplicate is found with its path", () => {
    expect(findJsonProblem('{"a":[{"b":1,"\\u0062":2}]}')).toEqual({ kind: "duplicate", path: ["a", "0", "b"], first: "1", second: "2" });
    expect(findJsonProblem('{"a":{"b":1},"c":{"b":2},"s":"\\"}"}')).toBeUndefined();
    expect(findJsonProblem('[1, -2.5e3, 1E+400]')).toEqual({ kind: "notFinite", path: ["2"], raw: "1E+400" });
  });

  test("given misspellings, when compared, then a swap of neighbours is one edit", () => {
    expect(editDistance("regoin", "region")).toBe(1);
    expect(closest("regoin", ["projectId", "region", "redisTier"])).toBe("region");
    expect(closest("x", ["region"])).toBeUndefined();
  });
});

describe("npm run synth with a value the clouds would reject", () => {
  const outdir = mkdtempSync(join(tmpdir(), "hexproperty-config-"));
  mkdirSync(join(outdir, "stacks", "hexproperty-dev"), { recursive: true });
  writeFileSync(join(outdir, "stacks", "hexproperty-dev", "cdk.tf.json"), "{}");
  writeFileSync(join(outdir, "marker.txt"), "previous output");

  test.each(CASES)("given %s, when synthesized, then it exits 1 with that one line and writes nothing", (_what, text, message) => {
    const before = treeHash(outdir);
    const result = runSynth({ outdir, overrides: text });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`hexproperty: ${message}\n`);
    expect(treeHash(outdir)).toBe(before);
  });
});

test("EnvironmentConfigError is what the value errors are", () => {
  let error: unknown;
  try {
    loadEnvironments({ overrides: parseOverrides(CASES[0]![1]) });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(EnvironmentConfigError);
});
