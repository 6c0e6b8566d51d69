/**
 * The runtime is what services ship: its installed dependency closure must not
 * pull in the infrastructure tooling (cdktf, constructs, @cdktf/*). Walks
 * runtime/package.json's dependencies through the node_modules package.json
 * files, resolving like Node does (nearest node_modules upwards).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const root = resolve(__dirname, "..", "..");
const runtimeDir = resolve(__dirname, "..");

interface Pkg {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function findPackage(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name, "package.json");
    if (existsSync(candidate)) return dirname(candidate);
    if (dir === root || dir === dirname(dir)) return undefined;
  }
}

function closure(): { packages: Map<string, string>; missing: string[] } {
  const packages = new Map<string, string>(); // package dir -> name
  const missing: string[] = [];
  const visit = (dir: string) => {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Pkg;
    const required = Object.keys(pkg.dependencies ?? {});
    const optional = [...Object.keys(pkg.optionalDependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
    for (const [name, isOptional] of [...required.map((n) => [n, false] as const), ...optional.map((n) => [n, true] as const)]) {
      const found = findPackage(name, dir);
      if (!found) {
        if (!isOptional) missing.push(`${pkg.name} -> ${name}`);
        continue;
      }
      if (packages.has(found)) continue;
      packages.set(found, name);
      visit(found);
    }
  };
  visit(runtimeDir);
  return { packages, missing };
}

describe("runtime dependency closure", () => {
  const { packages, missing } = closure();

  it("is installed completely", () => {
    expect(missing).toEqual([]);
    expect(packages.size).toBeGreaterThan(50);
    expect([...packages.values()]).toEqual(expect.arrayContaining(["kafkajs", "pg", "ioredis", "@electric-sql/pglite", "zod", "@grpc/grpc-js", "google-gax"]));
  });

  it("contains no cdktf, constructs or @cdktf/* package", () => {
    const forbidden = [...packages.values()].filter((n) => n === "cdktf" || n === "constructs" || n.startsWith("@cdktf/") || n === "cdktf-cli");
    expect(forbidden).toEqual([]);
  });
});
