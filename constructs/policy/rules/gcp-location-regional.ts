import { isReference } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

/** Arguments that say where a resource keeps its data. */
const LOCATION_ARGUMENTS = ["location", "location_id", "region"];
/** Multi-region locations (data may leave the region). */
const MULTI_REGION = /^(global|us|eu|asia|nam\d+|eur\d+|asia\d+|nam-eur-asia\d+)$/i;

export const gcpLocationRegional: ResourceRule = {
  id: "gcp-location-regional",
  scope: "resource",
  layer: "any",
  stacks: ["gcp"],
  what: "No Google resource is placed in `global` or a multi-region location; where the environment names a region, it is that region (Spanner: `regional-<region>`).",
  why: "Data residency: tenant and lease data must stay in the environment's region.",
  fix: "Set `location` / `region` / `location_id` to the environment's `gcp.region` (Spanner config `regional-<region>`).",
  check(resource, settings) {
    if (!resource.type.startsWith("google_")) return verdictOf(false, []);
    const problems: string[] = [];
    const checked: string[] = [];
    for (const argument of LOCATION_ARGUMENTS) {
      const value = resource.config[argument];
      if (typeof value !== "string" || isReference(value)) continue;
      checked.push(argument);
      if (MULTI_REGION.test(value)) problems.push(`${argument} is ${value}`);
      else if (settings.region && value !== settings.region && !value.startsWith(`${settings.region}-`)) problems.push(`${argument} is ${value}, not the environment's region ${settings.region}`);
    }
    if (resource.type === "google_spanner_instance" && typeof resource.config.config === "string" && !isReference(resource.config.config)) {
      checked.push("config");
      const want = settings.region ? `regional-${settings.region}` : undefined;
      if (want ? resource.config.config !== want : !resource.config.config.startsWith("regional-")) problems.push(`config is ${resource.config.config}${want ? `, not ${want}` : ""}`);
    }
    return verdictOf(checked.length > 0, problems);
  },
};
