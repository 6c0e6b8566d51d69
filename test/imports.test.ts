/** Provider packages are imported by deep path only: the package root costs seconds per process. */
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
});
