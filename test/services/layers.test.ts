/**
 * The services' layering, checked on the sources: the domain imports only
 * other domain code (no infrastructure, runtime, express, zod or Node
 * modules); the application layer imports no express, runtime,
 * infrastructure or interface code; every service has the four layers.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SERVICES = resolve(__dirname, "..", "..", "services");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function imports(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(/(?:from\s+|require\(|import\(|import\s+)\s*["']([^"']+)["']/g)].map((m) => m[1]!);
}

const layerOf = (file: string): string | undefined => /\/(domain|application|infrastructure|interface)\//.exec(relative(SERVICES, file))?.[1];

describe("services layering", () => {
  test("given every service, when its folder is listed, then it has domain, application, infrastructure and interface", () => {
    for (const s of ["property", "leasing", "search", "projector"]) {
      expect([s, readdirSync(join(SERVICES, s)).filter((n) => statSync(join(SERVICES, s, n)).isDirectory()).sort()]).toEqual([s, ["application", "domain", "infrastructure", "interface"]]);
    }
  });

  test("given every domain file, when its imports are read, then each is a relative import of another domain file", () => {
    const domainFiles = files(SERVICES).filter((f) => layerOf(f) === "domain");
    expect(domainFiles.length).toBeGreaterThan(4);
    const offenders = domainFiles.flatMap((f) =>
      imports(f)
        .filter((spec) => !spec.startsWith(".") || layerOf(resolve(dirname(f), spec) + ".ts") !== "domain")
        .map((spec) => `${relative(SERVICES, f)}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  test("given every application file, when its imports are read, then none is express, the runtime, zod, or an infrastructure or interface file", () => {
    const offenders = files(SERVICES)
      .filter((f) => layerOf(f) === "application")
      .flatMap((f) =>
        imports(f)
          .filter((spec) => /^(express|zod|@hexproperty\/runtime)/.test(spec) || (spec.startsWith(".") && ["infrastructure", "interface"].includes(layerOf(resolve(dirname(f), spec) + ".ts") ?? "")))
          .map((spec) => `${relative(SERVICES, f)}: ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  test("given the OpenAPI module the stacks import, when its source is read, then it imports nothing (pure data)", () => {
    expect(imports(join(SERVICES, "api", "openapi.ts"))).toEqual([]);
  });
});
