import { isReference } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const helmRepositoryHttps: ResourceRule = {
  id: "helm-repository-https",
  scope: "resource",
  layer: "core",
  stacks: ["portable"],
  what: "Every Helm release installs its chart from an https:// (or oci://) repository, never plain http or a local path.",
  why: "A chart fetched over plain http can be swapped in transit; a local path is not reproducible on the CI runner.",
  fix: "Use the maintainer's https repository in constructs/core/charts.ts.",
  check(resource) {
    const repository = resource.config.repository;
    const chart = String(resource.config.chart ?? "");
    const source = typeof repository === "string" && repository !== "" ? repository : chart;
    const ok = isReference(source) || /^(https|oci):\/\//.test(source);
    return verdictOf(resource.type === "helm_release", ok ? [] : [`chart source ${JSON.stringify(source)} is not https or oci`]);
  },
};
