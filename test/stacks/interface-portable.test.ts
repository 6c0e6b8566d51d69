import { openApiDocument } from "../../services/api/openapi";
import { pathGroups } from "../../constructs/interface/portable";
import type { OpenApi3Document } from "../../constructs/interface/gateway-openapi";
import { environment, ofType } from "../support/synth";
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

  test("given portable.gateway.issuerPublicKey, when synthesized, then the stack creates Kong's jwt credential Secret from it (label, key = issuer, RS256), holding nothing secret", () => {
    const env = environment("dev");
    if (env.stack !== "portable") throw new Error("dev is portable");
    const secret = named(dev.objects, "Secret", "hexproperty-dev-jwt-issuer");
    expect(secret.metadata.labels!["konghq.com/credential"]).toBe("jwt");
    const decoded = Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
    expect(decoded).toEqual({ key: env.auth.issuer, algorithm: "RS256", rsa_public_key: env.portable.gateway.issuerPublicKey });
    expect(secret.stringData).toBeUndefined();
    expect((dev.main as any).data?.kubernetes_secret_v1 ?? {}).toEqual({});
  });

  test("given an issuer key that is not an RSA public key in PEM, when validated, then one line names the key", () => {
    expect(() => environment("dev", { portable: { gateway: { issuerPublicKey: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" } } })).toThrow(/portable\.gateway\.issuerPublicKey = .* is not allowed; expected an RSA public key in PEM/);
  });

  test("given the stacks, when synthesized, then only Kong's proxy is exposed (type from config); every other Service is ClusterIP", () => {
    const kong = (ofType(dev.platform, "helm_release") as any[]).find((r) => r.chart === "kong");
    expect(JSON.parse(kong.values[0]).proxy).toEqual({ type: "LoadBalancer" });
    for (const s of ofKind(dev.objects, "Service")) expect(s.spec.type).toBe("ClusterIP");
  });
});
