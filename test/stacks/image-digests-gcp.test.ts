/**
 * Image digests: the environment files carry the all-zero placeholder; a
 * deploy takes the digests the image build wrote (HEXPROPERTY_IMAGE_DIGESTS),
 * and `terraform apply` refuses a Cloud Run service still on the placeholder
 * while `terraform plan` (cdktf diff on a pull request) shows it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironments, PLACEHOLDER_DIGEST, readImageDigests } from "../../environments";
import { environment, ofType, synthAll } from "../support/synth";

const built = { property: `sha256:${"1".repeat(64)}`, leasing: `sha256:${"2".repeat(64)}`, search: `sha256:${"3".repeat(64)}`, projector: `sha256:${"4".repeat(64)}` };
const dir = mkdtempSync(join(tmpdir(), "hexproperty-digests-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
type Service = { image?: string; template: { containers: Array<{ image: string }> }; lifecycle: { precondition: Array<{ condition: string; error_message: string }> } };
const servicesOf = (stack: ReturnType<typeof synthAll>[string]) => ofType(stack, "google_cloud_run_v2_service") as unknown as Service[];

describe("gcp image digests", () => {
  test("given the environment files as shipped, when read, then every gcp image digest is the placeholder (no build is committed)", () => {
    for (const name of ["staging", "prod"]) {
      const env = environment(name);
      if (env.stack !== "gcp") throw new Error(`${name} is not on gcp`);
      expect(Object.values(env.gcp.imageDigests)).toEqual([PLACEHOLDER_DIGEST, PLACEHOLDER_DIGEST, PLACEHOLDER_DIGEST, PLACEHOLDER_DIGEST]);
    }
  });

  test("given HEXPROPERTY_IMAGE_DIGESTS naming the build's file, when the environments load, then every gcp environment pulls the built digests", () => {
    const digests = readImageDigests(file("build.json", JSON.stringify(built)));
    const [staging, prod] = loadEnvironments({ imageDigests: digests, overrides: {}, only: ["staging", "prod"] });
    for (const env of [staging!, prod!]) {
      if (env.stack !== "gcp") throw new Error("not gcp");
      expect(env.gcp.imageDigests).toEqual(built);
    }
    const stack = synthAll([staging!])["hexproperty-staging"]!;
    const images = servicesOf(stack).map((s) => s.template.containers[0]!.image).sort();
    expect(images).toEqual(Object.entries(built).map(([w, d]) => `europe-west1-docker.pkg.dev/hexproperty-staging/hexproperty-staging-images/${w}@${d}`).sort());
  });

  test("given the image build step, when it asks where to push (scripts/images.js info), then it names the registry every Cloud Run service of the stack pulls from", () => {
    const info = spawnSync(process.execPath, [join(__dirname, "..", "..", "scripts", "images.js"), "info", "staging"], { encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: dir } });
    expect(info.status).toBe(0);
    const { registry } = JSON.parse(info.stdout) as { registry: string };
    const images = servicesOf(synthAll([environment("staging")])["hexproperty-staging"]!).map((s) => s.template.containers[0]!.image);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image.slice(0, image.lastIndexOf("/"))).toBe(registry);
  });

  test.each([
    ["a missing file", () => join(dir, "nope.json"), /cannot be read \(ENOENT\)/],
    ["not JSON", () => file("bad.json", "{"), /not JSON/],
    ["a workload missing", () => file("partial.json", JSON.stringify({ property: built.property })), /"leasing" is missing/],
    ["an unknown workload", () => file("extra.json", JSON.stringify({ ...built, billing: built.property })), /"billing" is not a workload/],
    ["the placeholder", () => file("zero.json", JSON.stringify({ ...built, search: PLACEHOLDER_DIGEST })), /"search" is the all-zero placeholder/],
  ])("given a digests file with %s, when read, then one line names the problem", (_what, path, message) => {
    let error: Error | undefined;
    try {
      readImageDigests(path());
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).toMatch(/^invalid HEXPROPERTY_IMAGE_DIGESTS=/);
    expect(error?.message.split("\n")).toHaveLength(1);
  });

  test("given a digest the schema refuses in the file, when the environments load, then the environment's error names gcp.imageDigests.<workload>", () => {
    expect(() => loadEnvironments({ imageDigests: { ...built, property: "sha256:XYZ" }, overrides: {}, only: ["staging"] })).toThrow(/gcp\.imageDigests\.property/);
  });

  test("given the placeholder, when synthesized, then every Cloud Run service carries a precondition that refuses it on apply, naming its setting", () => {
    const services = servicesOf(synthAll([environment("staging")])["hexproperty-staging"]!);
    expect(services).toHaveLength(4);
    for (const s of services) {
      const [pre] = s.lifecycle.precondition;
      expect(pre!.condition).toMatch(/^\$\{!local\.terraform_applying \|\| !endswith\(/);
      expect(pre!.error_message).toMatch(/^gcp\.imageDigests\.(property|leasing|search|projector) is the all-zero placeholder/);
    }
  });

  // The precondition as Terraform evaluates it (terraform_data: no provider to download). Terraform >= 1.10 (terraform.applying).
  test("given the synthesized precondition, when Terraform plans and applies it, then plan passes and apply refuses with the one-line message (built digests apply)", () => {
    const version = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
    expect(version.status).toBe(0);
    const run = (name: string, digests?: typeof built) => {
      const env = digests ? loadEnvironments({ imageDigests: digests, overrides: {}, only: ["staging"] })[0]! : environment("staging");
      const stack = synthAll([env])["hexproperty-staging"]!;
      const service = servicesOf(stack).find((s) => s.template.containers[0]!.image.includes("/property@"))!;
      const work = join(dir, name);
      const tf = { locals: { terraform_applying: ((stack as unknown as { locals: Record<string, unknown> }).locals).terraform_applying }, resource: { terraform_data: { property: { input: "x", lifecycle: service.lifecycle } } } };
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      writeFileSync(join(work, "main.tf.json"), JSON.stringify(tf));
      const tfRun = (...args: string[]) => spawnSync("terraform", [`-chdir=${work}`, ...args, "-input=false", "-no-color"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" } });
      expect(tfRun("init").status).toBe(0);
      return { plan: tfRun("plan"), apply: tfRun("apply", "-auto-approve") };
    };
    const placeholder = run("placeholder");
    expect(placeholder.plan.status).toBe(0);
    expect(placeholder.apply.status).not.toBe(0);
    expect(placeholder.apply.stderr.replace(/\s+/g, " ")).toContain("gcp.imageDigests.property is the all-zero placeholder, not a built image");
    const real = run("built", built);
    expect([real.plan.status, real.apply.status]).toEqual([0, 0]);
  }, 120_000);

  test("given the deploy workflow, when read, then the image build writes the digests file and passes it as HEXPROPERTY_IMAGE_DIGESTS before the synthesis that deploys, on a Terraform that knows terraform.applying", () => {
    const workflows = join(__dirname, "..", "..", ".github", "workflows");
    const deploy = readFileSync(join(workflows, "deploy-environment.yml"), "utf8");
    const build = deploy.indexOf('node scripts/images.js build "$ENVIRONMENT" "$RUNNER_TEMP/image-digests.json"');
    const passed = deploy.indexOf('echo "HEXPROPERTY_IMAGE_DIGESTS=$RUNNER_TEMP/image-digests.json" >> "$GITHUB_ENV"');
    const deploySynth = deploy.lastIndexOf("run: npm run synth");
    expect([build > 0, passed > build, deploySynth > passed]).toEqual([true, true, true]);
    for (const file of ["deploy-environment.yml", "pull-request.yml"]) {
      for (const [, minor] of readFileSync(join(workflows, file), "utf8").matchAll(/terraform_version: "1\.(\d+)\.\d+"/g)) expect(Number(minor)).toBeGreaterThanOrEqual(10);
    }
  });
});
