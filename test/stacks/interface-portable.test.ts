import { openApiDocument } from "../../services/api/openapi";
import { pathGroups } from "../../constructs/interface/portable";
import type { OpenApi3Document } from "../../constructs/interface/gateway-openapi";
import { ofType } from "../support/synth";
import { named, ofKind, portableStacks } from "./portable-fixture";

const dev = portableStacks("dev");
const doc = openApiDocument as unknown as OpenApi3Document;

describe("portable interface (Kong)", () => {
  test("given the services' OpenAPI document, when synthesized, then there is one Kong Ingress per path group, to the service that serves it", () => {
    const ingresses = ofKind(dev.objects, "Ingress");
    expect(ingresses.map((i) => i.metadata.name).sort()).toEqual(pathGroups(doc).map((g) => `api-${g.name}`).sort());
    const units = named(dev.objects, "Ingress", "api-units");
    expect(units.spec).toEqual({ ingressClassName: "kong", rules: [{ http: { paths: [{ path: "/units", pathType: "Prefix", backend: { service: { name: "leasing", port: { number: 8080 } } } }] } }] });
    for (const i of ingresses) expect(i.metadata.annotations!["konghq.com/plugins"]).toBe("jwt,rate-limit");
  });

  test("given every documented path, when grouped, then each lies under exactly one route", () => {
    const groups = pathGroups(doc);
    for (const path of Object.keys(doc.paths).filter((p) => p !== "/healthz" && p !== "/readyz")) expect(groups.filter((g) => path.startsWith(g.prefix))).toHaveLength(1);
  });

  test("given auth and gateway config, when synthesized, then JWT (issuer's key as credential) and rate-limiting plugins follow it", () => {
    expect(named(dev.objects, "KongPlugin", "jwt")).toMatchObject({ plugin: "jwt", config: { key_claim_name: "iss", claims_to_verify: ["exp"] } });
    expect(named(dev.objects, "KongPlugin", "rate-limit")).toMatchObject({ plugin: "rate-limiting", config: { minute: 600, limit_by: "ip" } });
    expect(named(dev.objects, "KongConsumer", "token-issuer")).toMatchObject({ credentials: ["hexproperty-dev-jwt-issuer"] });
  });

  test("given the stacks, when synthesized, then only Kong's proxy is exposed (type from config); every other Service is ClusterIP", () => {
    const kong = (ofType(dev.platform, "helm_release") as any[]).find((r) => r.chart === "kong");
    expect(JSON.parse(kong.values[0]).proxy).toEqual({ type: "LoadBalancer" });
    for (const s of ofKind(dev.objects, "Service")) expect(s.spec.type).toBe("ClusterIP");
  });
});
