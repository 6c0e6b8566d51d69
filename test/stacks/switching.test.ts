/**
 * Configuration-based switching: changing one environment's `stack` changes
 * every layer of that environment and nothing else.
 */
import { environments, resources, synthAll, type TerraformJson } from "../support/synth";

const LAYERS_WITH_INFRASTRUCTURE = ["microservices", "application", "events", "data", "support", "interface", "mesh"] as const;

/** layer -> sorted "type path" rows of an environment's stacks. */
function layerRows(stacks: Record<string, TerraformJson>, env: string): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const [name, json] of Object.entries(stacks)) {
    if (name !== `hexproperty-${env}` && !name.startsWith(`hexproperty-${env}-`)) continue;
    for (const [type, logicalId] of resources(json)) {
      // A resource's logical id starts with the id of the layer construct it belongs to.
      const layer = logicalId.split("_")[0]!;
      (rows[layer] ??= []).push(`${type} ${name}/${logicalId}`);
    }
  }
  for (const list of Object.values(rows)) list.sort();
  return rows;
}

describe("switching an environment's stack", () => {
  const before = synthAll(environments({}));
  const after = synthAll(environments({ dev: { stack: "gcp" } }));

  test("given dev flipped from portable to gcp, when re-synthesized, then staging and prod are byte-for-byte unchanged", () => {
    for (const name of ["hexproperty-staging", "hexproperty-prod"]) expect(JSON.stringify(after[name])).toBe(JSON.stringify(before[name]));
  });

  test("given dev flipped, when re-synthesized, then dev's stacks are renamed to the gcp shape (no platform stack)", () => {
    expect(Object.keys(before).filter((n) => n.startsWith("hexproperty-dev")).sort()).toEqual(["hexproperty-dev", "hexproperty-dev-platform"]);
    expect(Object.keys(after).filter((n) => n.startsWith("hexproperty-dev")).sort()).toEqual(["hexproperty-dev"]);
  });

  test.each(LAYERS_WITH_INFRASTRUCTURE)("given dev flipped, when re-synthesized, then the %s layer's resources change", (layer) => {
    const was = layerRows(before, "dev")[layer] ?? [];
    const now = layerRows(after, "dev")[layer] ?? [];
    expect(now.length).toBeGreaterThan(0);
    expect(was.length).toBeGreaterThan(0);
    expect(now.filter((row) => was.includes(row))).toEqual([]);
  });

  test("given dev flipped, when re-synthesized, then its manifest switches every backend kind", () => {
    const kinds = (s: Record<string, TerraformJson>) => {
      const m = s["hexproperty-dev"]!.output!.runtime_manifest!.value as Record<string, { kind?: string; logFormat?: string }>;
      return [m.eventBus!.kind, m.writeStore!.kind, m.readStore!.kind, m.telemetry!.logFormat];
    };
    expect(kinds(before)).toEqual(["kafka", "postgres", "clickhouse", "json"]);
    expect(kinds(after)).toEqual(["pubsub", "datastore", "spanner", "cloud-logging"]);
  });
});
