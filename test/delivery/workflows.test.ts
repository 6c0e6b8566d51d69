/**
 * The GitHub workflows: valid YAML of the expected shape, every `npm run X`
 * they call exists in package.json, every local file they run exists, and
 * (when actionlint is installed: on PATH or in ~/.cache/hexproperty/bin)
 * actionlint accepts them. No network.
 */
import { spawnSync } from "child_process";
import { existsSync, readdirSync, readFileSync } from "fs";
import { homedir } from "os";
import { delimiter, join } from "path";
import { parse } from "yaml";

const ROOT = join(__dirname, "..", "..");
const DIR = join(ROOT, ".github", "workflows");
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const workflows: Record<string, any> = Object.fromEntries(FILES.map((f) => [f, parse(readFileSync(join(DIR, f), "utf8"))]));
const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** Every step of every job of a workflow. */
const steps = (wf: any): any[] => Object.values(wf.jobs ?? {}).flatMap((job: any) => job.steps ?? []);
/** Every `run:` script of every workflow, with where it is. */
const runs = (): Array<[string, string]> => FILES.flatMap((f) => steps(workflows[f]).filter((s) => typeof s.run === "string").map((s) => [f, s.run as string] as [string, string]));

describe("the GitHub workflows", () => {
  test("given .github/workflows, then there are the pull-request, deploy and deploy-environment workflows, each with a name, triggers and jobs", () => {
    expect(FILES).toEqual(expect.arrayContaining(["deploy-environment.yml", "deploy.yml", "pull-request.yml"]));
    for (const f of FILES) {
      expect(typeof workflows[f].name).toBe("string");
      expect(workflows[f].on).toBeDefined();
      expect(Object.keys(workflows[f].jobs).length).toBeGreaterThan(0);
    }
  });

  test("given every run step, when it calls npm, then the script exists in package.json", () => {
    const called = runs().flatMap(([f, run]) => [...run.matchAll(/\bnpm run ([A-Za-z0-9:_-]+)/g)].map((m) => [f, m[1]!] as const));
    expect(called.length).toBeGreaterThan(3);
    for (const [f, name] of called) expect([f, name, name in scripts]).toEqual([f, name, true]);
    for (const [, run] of runs()) if (/\bnpm test\b/.test(run)) expect(scripts.test).toBeDefined();
  });

  test("given every run step and local reusable workflow, when it names a file of the repository, then the file exists", () => {
    const files = runs().flatMap(([, run]) => [...run.matchAll(/\bnode (scripts\/[A-Za-z0-9_./-]+\.js)/g)].map((m) => m[1]!));
    const reusable = FILES.flatMap((f) => Object.values(workflows[f].jobs).map((j: any) => j.uses).filter((u: unknown): u is string => typeof u === "string" && u.startsWith("./")));
    expect(files.length + reusable.length).toBeGreaterThan(0);
    for (const file of [...files, ...reusable]) expect([file, existsSync(join(ROOT, file))]).toEqual([file, true]);
  });

  test("given the pull-request workflow, then it installs, tests, synthesizes and verifies in that order, then diffs every stack and comments once", () => {
    const wf = workflows["pull-request.yml"];
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    const checkRuns = wf.jobs.check.steps.filter((s: any) => s.run && !/npm install -g/.test(s.run)).map((s: any) => s.run.trim());
    expect(checkRuns.map((r: string) => r.split(" ").slice(0, 3).join(" "))).toEqual(["npm install --no-audit", "npm test", "npm run synth", "npm run verify"]);
    // npm test installs the local backends' Debian packages: root on Debian, as .ci/run assumes.
    expect(wf.jobs.check.container.image).toMatch(/^node:20-bookworm/);
    expect(wf.jobs.plan.needs).toBe("check");
    const planRuns = wf.jobs.plan.steps.map((s: any) => s.run ?? s.uses).join("\n");
    expect(planRuns).toContain("npm run diff -- --all --markdown plan.md");
    expect(planRuns).toContain("actions/github-script");
    expect(wf.jobs.plan.permissions["pull-requests"]).toBe("write");
    expect(wf.env.CHECKPOINT_DISABLE).toBe("1");
  });

  test("given the deploy workflow, then dev, staging and prod deploy in that order through the reusable workflow, each in its GitHub environment", () => {
    const wf = workflows["deploy.yml"];
    expect(Object.keys(wf.jobs)).toEqual(["dev", "staging", "prod"]);
    expect([wf.jobs.staging.needs, wf.jobs.prod.needs]).toEqual(["dev", "staging"]);
    for (const env of ["dev", "staging", "prod"]) {
      expect(wf.jobs[env].uses).toBe("./.github/workflows/deploy-environment.yml");
      expect(wf.jobs[env].with.environment).toBe(env);
    }
    const reusable = workflows["deploy-environment.yml"];
    expect(Object.keys(reusable.on)).toEqual(["workflow_call"]);
    // The job runs in the GitHub environment named by the input: prod's required reviewers are the manual approval.
    expect(reusable.jobs.deploy.environment).toBe("${{ inputs.environment }}");
    const deploy = reusable.jobs.deploy.steps.map((s: any) => s.run ?? "").join("\n");
    expect(deploy).toContain('node scripts/diff.js --order "$ENVIRONMENT"');
    expect(deploy).toContain("cdktf deploy \"$stack\" --skip-synth --auto-approve");
    expect(deploy.indexOf("npm run synth")).toBeLessThan(deploy.indexOf("cdktf deploy"));
  });
});

/** actionlint as scripts/tools.sh builds it at its pin (npm test runs that first), else one on PATH; skipped when there is none. */
function findActionlint(): string | undefined {
  const cache = process.env.HEXPROPERTY_CACHE || join(homedir(), ".cache", "hexproperty");
  const candidates = [join(cache, "bin", "actionlint"), ...(process.env.PATH ?? "").split(delimiter).map((d) => join(d, "actionlint"))];
  return candidates.find((p) => existsSync(p));
}
const actionlint = findActionlint();

(actionlint ? test : test.skip)("given actionlint is installed, when it checks every workflow, then it reports nothing", () => {
  const result = spawnSync(actionlint!, ["-no-color", ...FILES.map((f) => join(DIR, f))], { cwd: ROOT, encoding: "utf8" });
  expect(result.stdout + result.stderr).toBe("");
  expect(result.status).toBe(0);
});
