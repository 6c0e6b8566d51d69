import { Release } from "@cdktf/provider-helm/lib/release";
import { DOMAIN } from "../../constructs/domain";
import { CHARTS } from "../../constructs/core/charts";
import { named, ofKind, portableStacks } from "./portable-fixture";
import { ofType } from "../support/synth";

const dev = portableStacks("dev");
const releases = ofType(dev.platform, "helm_release") as any[];

describe("portable mesh (Istio)", () => {
  test("given the workloads' namespace, when synthesized, then STRICT mTLS is enforced namespace-wide", () => {
    expect(named(dev.objects, "PeerAuthentication", "default").spec).toEqual({ mtls: { mode: "STRICT" } });
  });

  test("given Pod Security restricted, when synthesized, then the Istio CNI chart is installed next to base and istiod, and istiod injects for it with native sidecars", () => {
    expect(JSON.stringify(dev.platform)).toHaveResourceWithProperties(Release, { chart: "cni", repository: CHARTS.istioBase.repository, version: CHARTS.istiod.version });
    const istiod = releases.find((r) => r.chart === "istiod");
    expect(JSON.parse(istiod.values[0])).toMatchObject({ pilot: { cni: { enabled: true }, env: { ENABLE_NATIVE_SIDECARS: "true" } } });
    expect(istiod.depends_on.some((d: string) => d.includes("istio-cni"))).toBe(true);
  });

  test("given every chart of the platform stack, when synthesized, then each is pinned to an exact version", () => {
    for (const r of [...releases, ...(ofType(dev.main, "helm_release") as any[])]) expect(r.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("given the design's calls, when synthesized, then each microservice allows only the gateway's identity and the processor allows no caller", () => {
    for (const s of DOMAIN.microservices) {
      expect(named(dev.objects, "AuthorizationPolicy", `${s}-callers`).spec).toEqual({
        selector: { matchLabels: { "app.kubernetes.io/name": s } }, action: "ALLOW", rules: [{ from: [{ source: { principals: ["cluster.local/ns/hexproperty-dev-edge/sa/kong-gateway"] } }] }],
      });
    }
    for (const p of DOMAIN.processors) expect(named(dev.objects, "AuthorizationPolicy", `${p}-no-callers`).spec).toEqual({ selector: { matchLabels: { "app.kubernetes.io/name": p } }, action: "ALLOW" });
  });

  test("given each called service, when synthesized, then a DestinationRule limits connections and ejects outliers", () => {
    expect(ofKind(dev.objects, "DestinationRule")).toHaveLength(DOMAIN.microservices.length);
    expect(named(dev.objects, "DestinationRule", "search").spec).toMatchObject({
      host: "search.hexproperty-dev.svc.cluster.local",
      trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" }, connectionPool: { tcp: { maxConnections: 100 } }, outlierDetection: { consecutive5xxErrors: 5, baseEjectionTime: "30s" } },
    });
  });
});
