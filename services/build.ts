/**
 * Production build of the services: one esbuild bundle per service
 * (dist/services/<name>/main.js: the service, the shared platform code and
 * the runtime package, compiled from TypeScript), with the third-party
 * packages left external and listed, pinned to the installed versions, in a
 * package.json next to the bundle — what the Dockerfile installs.
 *
 *   npm run build:services                       # all four into dist/services/
 *   node -r ./scripts/ts-hook.js services/build.ts property --out /tmp/x
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Metafile } from "esbuild";

const ROOT = resolve(__dirname, "..");
export const SERVICE_NAMES = ["property", "leasing", "search", "projector"] as const;

function dependencyNames(): string[] {
  const pkg = (p: string) => JSON.parse(readFileSync(join(ROOT, p), "utf8")) as { dependencies?: Record<string, string> };
  return [...new Set([...Object.keys(pkg("package.json").dependencies ?? {}), ...Object.keys(pkg("runtime/package.json").dependencies ?? {})])].filter((n) => n !== "@hexproperty/runtime");
}

function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
}

/** The package a bare import belongs to ("@scope/name/sub" → "@scope/name"). */
function packageOf(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

export async function buildService(name: string, outRoot = join(ROOT, "dist", "services")): Promise<{ dir: string; externals: string[] }> {
  const esbuild = require("esbuild") as typeof import("esbuild");
  const dir = join(outRoot, name);
  mkdirSync(dir, { recursive: true });
  const deps = dependencyNames();
  const result = await esbuild.build({
    entryPoints: [join(ROOT, "services", name, "main.ts")],
    outfile: join(dir, "main.js"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    external: deps.flatMap((d) => [d, `${d}/*`]),
    banner: { js: `// HexProperty ${name} service: production bundle built by services/build.ts; do not edit.` },
  });
  const externals = [...new Set(Object.values((result.metafile as Metafile).inputs).flatMap((i) => i.imports.filter((x) => x.external && !x.path.startsWith("node:")).map((x) => packageOf(x.path))))]
    .filter((p) => deps.includes(p))
    .sort();
  const manifest = {
    name: `@hexproperty/${name}-service`,
    version: "0.1.0",
    private: true,
    description: `HexProperty ${name} service (production bundle)`,
    main: "main.js",
    engines: { node: ">=20" },
    dependencies: Object.fromEntries(externals.map((p) => [p, installedVersion(p)])),
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, externals };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf("--out");
  const out = outAt >= 0 ? resolve(args[outAt + 1] ?? "") : undefined;
  const names = args.filter((a, i) => !a.startsWith("--") && (outAt < 0 || i !== outAt + 1));
  const unknown = names.filter((n) => !(SERVICE_NAMES as readonly string[]).includes(n));
  if (unknown.length) {
    process.stderr.write(`build: unknown service ${unknown.join(", ")}; services: ${SERVICE_NAMES.join(", ")}\n`);
    process.exit(1);
  }
  (async () => {
    for (const n of names.length ? names : SERVICE_NAMES) {
      const { dir, externals } = await buildService(n, out);
      process.stdout.write(`built ${n}: ${dir}/main.js (external: ${externals.join(", ")})\n`);
    }
  })().catch((e) => {
    process.stderr.write(`build failed: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}\n`);
    process.exit(1);
  });
}
