/**
 * Import rules: provider packages by deep path only (the package root costs
 * seconds per process); the runtime only through its package.json "exports".
 */
import { readdirSync, readFileSync, statSync } from "fs";
import { join, relative } from "path";

const ROOT = join(__dirname, "..");
const FOLDERS = ["stacks", "constructs", "environments", "runtime", "services", "test", "bench", "scripts"];

function sources(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try { names = readdirSync(dir); } catch { return out; }
  for (const name of names) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(sources(p));
    else if (/\.(ts|js)$/.test(name)) out.push(p);
  }
  return out;
}

describe("imports", () => {
  test("given every source file, when scanned, then no provider package is imported from its root", () => {
    const offenders = FOLDERS.flatMap((f) => sources(join(ROOT, f)))
      .filter((file) => /(from\s+|require\()\s*["']@cdktf\/provider-[a-z-]+["']/.test(readFileSync(file, "utf8")))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });

  test("given every source file outside runtime/, when scanned, then the runtime is imported only through its declared entry points", () => {
    const exported = Object.keys((JSON.parse(readFileSync(join(ROOT, "runtime", "package.json"), "utf8")) as { exports: Record<string, string> }).exports)
      .map((key) => key.replace(/^\./, "@hexproperty/runtime").replace("/*", "/"));
    const allowed = (spec: string): boolean => exported.some((entry) => (entry.endsWith("/") ? spec.startsWith(entry) && !spec.slice(entry.length).includes("/") : spec === entry));
    const offenders: string[] = [];
    for (const file of FOLDERS.filter((f) => f !== "runtime").flatMap((f) => sources(join(ROOT, f)))) {
      if (file.endsWith("imports.test.ts")) continue;
      for (const match of readFileSync(file, "utf8").matchAll(/(?:from\s+|require\(|import\(|import\s+)\s*["']([^"']+)["']/g)) {
        const spec = match[1]!;
        if (/(^|\/)runtime\/src(\/|$)/.test(spec) || (spec.startsWith("@hexproperty/runtime") && !allowed(spec))) offenders.push(`${relative(ROOT, file)}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
