import { Testing } from "cdktf";
import { GcpInterface, interfaceLayer } from "../../constructs/interface";
import { gatewayDocument, JWT_SECURITY } from "../../constructs/interface/gateway-openapi";
import { openApiDocument } from "../../services/api/openapi";
import { contextFor, environment, ofType } from "../support/synth";

const staging = environment("staging");
const backends = { property: "https://p.run.app", leasing: "https://l.run.app", search: "https://s.run.app" };
const doc = gatewayDocument(openApiDocument as never, { backends, auth: staging.auth }, (s) => new Error(`unknown ${s}`)) as Record<string, any>;

function synth(): { json: any; edge: GcpInterface } {
  let edge!: GcpInterface;
  const out = Testing.synthScope((scope) => { edge = interfaceLayer(contextFor(scope, staging), backends) as GcpInterface; });
  return { json: JSON.parse(out), edge };
}

describe("gcp interface (API Gateway from the services' OpenAPI document)", () => {
  test("given the OpenAPI 3.1 document, when converted, then the gateway gets OpenAPI 2.0 with every path and operation of it", () => {
    expect(doc.swagger).toBe("2.0");
    const ops = (d: { paths: Record<string, Record<string, { operationId: string }>> }) => Object.values(d.paths).flatMap((p) => Object.values(p).map((o) => o.operationId)).sort();
    expect(ops(doc as never)).toEqual(ops(openApiDocument as never));
  });

  test("given the configured issuer, when converted, then JWTs are validated by securityDefinitions with x-google-issuer, x-google-jwks_uri and the audience", () => {
    expect(doc.securityDefinitions[JWT_SECURITY]).toEqual({
      authorizationUrl: "", flow: "implicit", type: "oauth2",
      "x-google-issuer": "https://auth.staging.hexproperty.example",
      "x-google-jwks_uri": "https://auth.staging.hexproperty.example/.well-known/jwks.json",
      "x-google-audiences": "hexproperty-api",
    });
    expect(doc.security).toEqual([{ [JWT_SECURITY]: [] }]);
    expect(doc.paths["/healthz"].get.security).toEqual([]);
    expect(doc.paths["/search/units"].get.security).toBeUndefined();
  });

  test("given operations of three services, when converted, then each is routed to its own Cloud Run URL keeping the path, with that URL as the ID token audience", () => {
    expect(doc.paths["/units/{unitId}/leases"].post["x-google-backend"]).toEqual({ address: backends.leasing, path_translation: "APPEND_PATH_TO_ADDRESS", jwt_audience: backends.leasing, deadline: 30 });
    expect(doc.paths["/search/units"].get["x-google-backend"].address).toBe(backends.search);
    expect(doc.paths["/properties"].post["x-google-backend"].address).toBe(backends.property);
  });

  test("given OpenAPI 3 parameters and bodies, when converted, then they take the OpenAPI 2.0 form (inline type, body parameter) with no text that breaks a Terraform string", () => {
    const params = doc.paths["/properties/{propertyId}/units"].post.parameters;
    expect(params).toEqual([
      { name: "propertyId", in: "path", required: true, type: "string", format: "uuid" },
      expect.objectContaining({ name: "Idempotency-Key", in: "header", required: false, type: "string" }),
      { name: "body", in: "body", required: true, schema: { type: "object" } },
    ]);
    expect(JSON.stringify(doc)).not.toMatch(/\\\\|\$\{|%\{|"schema":\{"type":"string"/);
  });

  test("given an operation naming a service without a backend, when converted, then the error names it", () => {
    expect(() => gatewayDocument(openApiDocument as never, { backends: { property: "x" }, auth: staging.auth }, (s, where) => new Error(`no backend ${s} at ${where}`))).toThrow("no backend leasing at POST /units/{unitId}/applications");
  });

  test("given the layer, when synthesized, then api, api config and gateway come from google-beta and bind to the beta provider", () => {
    const { json } = synth();
    for (const type of ["google_api_gateway_api", "google_api_gateway_api_config", "google_api_gateway_gateway"]) {
      expect(ofType(json, type)).toHaveLength(1);
      expect(ofType(json, type)[0]!.provider).toBe("google-beta");
    }
    const [config] = ofType(json, "google_api_gateway_api_config") as Array<Record<string, any>>;
    expect(config!.gateway_config.backend_config.google_service_account).toMatch(/^\$\{google_service_account\.interface_gateway-sa_[0-9A-F]+\.email\}$/);
    expect(config!.openapi_documents[0].document).toMatchObject({ path: "openapi.yaml", contents: expect.stringMatching(/^\$\{base64encode\(jsonencode\(/) });
    expect(config!.lifecycle).toEqual({ create_before_destroy: true });
    expect(ofType(json, "google_api_gateway_gateway")[0]).toMatchObject({ region: "europe-west1", gateway_id: "hexproperty-staging-gateway" });
  });

  test("given the gateway design, when synthesized, then nothing is opened to allUsers or allAuthenticatedUsers: API Gateway itself is public without any IAM binding", () => {
    const { json } = synth();
    expect(JSON.stringify(json)).not.toMatch(/allUsers|allAuthenticatedUsers/);
  });

  test("given a region API Gateway does not serve, when built, then a named error lists the regions it serves", () => {
    expect(() => Testing.synthScope((scope) => interfaceLayer(contextFor(scope, environment("staging", { gcp: { region: "europe-west4" } })), backends))).toThrow(/API Gateway has no gateways in region "europe-west4"; regions it serves: .*europe-west1/);
  });
});
