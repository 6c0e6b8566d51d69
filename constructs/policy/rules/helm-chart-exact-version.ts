import { isReference } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

const EXACT = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export const helmChartExactVersion: ResourceRule = {
  id: "helm-chart-exact-version",
  scope: "resource",
  layer: "core",
  stacks: ["portable"],
  what: "Every Helm release pins its chart to an exact version (no range, no empty version meaning \"latest\").",
  why: "An unpinned chart upgrades operators and CRDs on the next apply without anyone reviewing the bump.",
  fix: "Pin the chart in constructs/core/charts.ts (`version: \"1.2.3\"`) and install it with PinnedRelease.",
  check(resource) {
    const version = resource.config.version;
    const ok = typeof version === "string" && (isReference(version) || EXACT.test(version));
    return verdictOf(resource.type === "helm_release", ok ? [] : [`chart ${resource.config.chart ?? "?"} has version ${version === undefined ? "unset (latest)" : JSON.stringify(version)}`]);
  },
};
