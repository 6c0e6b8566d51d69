import { readFileSync } from "node:fs";
import { validateManifest } from "@hexproperty/runtime/manifest";
import { manifestPath, type LocalProfile } from "./support";

describe("local manifests written by backends.sh up", () => {
  it.each<LocalProfile>(["portable-local", "gcp-emulated"])("Given the %s manifest, When validated with the runtime schema, Then it has no issues", (profile) => {
    const result = validateManifest(JSON.parse(readFileSync(manifestPath(profile), "utf8")));
    expect(result).toMatchObject({ ok: true });
  });

  it("Given both manifests, When compared, Then they share cache, streams and subscriptions and differ in stack", () => {
    const read = (p: LocalProfile) => JSON.parse(readFileSync(manifestPath(p), "utf8"));
    const portable = read("portable-local");
    const gcp = read("gcp-emulated");
    expect(portable.stack).toBe("portable-local");
    expect(gcp.stack).toBe("gcp-emulated");
    expect(gcp.cache).toEqual(portable.cache);
    expect(gcp.eventBus.streams).toEqual(portable.eventBus.streams);
    expect(gcp.eventBus.subscriptions).toEqual(portable.eventBus.subscriptions);
  });
});
