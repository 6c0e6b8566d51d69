/**
 * The production build: each service bundles (esbuild) into one file that
 * runs without the TypeScript hook, and answers its health and readiness
 * routes from that bundle (no Docker engine here: this is what the
 * container's CMD runs). The services' one Dockerfile is checked for the shape it must
 * keep: multi-stage, non-root, only the bundle and its pinned packages.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildService, SERVICE_NAMES } from "../../services/build";
import { isolatedManifest, ROOT, runId, stopChild } from "./support/harness";
import { dropRunData } from "./support/cleanup";

describe("production build", () => {
  // inside the repository, so the bundle finds node_modules the way the image's /app/node_modules is found
  const out = mkdtempSync(join(ROOT, ".local", "build-test-"));
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await dropRunData(manifest, `t${id}`);
  });
  // against the portable-local servers (PostgreSQL, Kafka, ClickHouse, Redis), with run-unique topics and namespace
  const id = runId();
  const manifestFile = join(out, "manifest.json");
  const manifest = isolatedManifest("portable-local", id, out);
  writeFileSync(manifestFile, JSON.stringify(manifest));

  test.concurrent.each(SERVICE_NAMES)("given the %s service, when bundled and started with node alone, then /healthz and /readyz answer 200", async (name) => {
    const { dir, externals } = await buildService(name, out);
    const bundle = readFileSync(join(dir, "main.js"), "utf8");
    expect(bundle).not.toMatch(/require\(["']@hexproperty\/runtime/); // the runtime is compiled in, not loaded as TypeScript
    expect(externals).toEqual(expect.arrayContaining(["express"]));
    const child = spawn(process.execPath, [join(dir, "main.js")], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", HEXPROPERTY_MANIFEST_FILE: manifestFile, HEXPROPERTY_NAMESPACE: `t${id}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${name}: bundle not listening after 60 s:\n${output}`)), 60_000);
        child.stdout!.on("data", (c: Buffer) => {
          output += c.toString();
          const m = /listening on (http:\/\/\S+)/.exec(output);
          if (m) {
            clearTimeout(t);
            resolve(m[1]!);
          }
        });
        child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
        child.once("exit", (code) => {
          clearTimeout(t);
          reject(new Error(`${name}: bundle exited (${code}):\n${output}`));
        });
      });
      const health = await fetch(`${url}/healthz`);
      expect([health.status, await health.json()]).toEqual([200, { status: "ok", services: [name] }]);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    } finally {
      expect(await stopChild(child, "SIGTERM")).toBe(0);
    }
  }, 90_000);

  test("given the services' Dockerfile, when read, then it builds the SERVICE argument in stages, copies only the bundle and its packages, and runs as a non-root user", () => {
    const text = readFileSync(join(ROOT, "services", "Dockerfile"), "utf8");
    const stages = text.split(/^(?=FROM )/m).slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    // every stage declares the argument (an ARG does not cross stages), and the build refuses an empty one
    for (const stage of stages) expect(stage).toMatch(/^ARG SERVICE$/m);
    // ... after npm ci in the build stage, so the four builds share that cached layer
    expect(stages[0]!.indexOf("ARG SERVICE")).toBeGreaterThan(stages[0]!.indexOf("RUN npm ci"));
    expect(text).toMatch(/^RUN test -n "\$SERVICE" \|\| /m);
    expect(text).toContain('services/build.ts "$SERVICE" --out /out');
    const final = stages[stages.length - 1]!;
    expect(final).toMatch(/^USER node$/m);
    expect(final.match(/^COPY .*/gm)).toEqual([`COPY --from=deps --chown=root:root /app/node_modules ./node_modules`, `COPY --from=build --chown=root:root /out/\${SERVICE}/ ./`]);
    // one Dockerfile for all: none left per service
    for (const name of SERVICE_NAMES) expect(existsSync(join(ROOT, "services", name, "Dockerfile"))).toBe(false);
  });
});
