import { Construct } from "constructs";
import { Fn, TerraformLocal, type TerraformProvider } from "cdktf";
import { GoogleApiGatewayApi } from "@cdktf/provider-google-beta/lib/google-api-gateway-api";
import { GoogleApiGatewayApiConfigA } from "@cdktf/provider-google-beta/lib/google-api-gateway-api-config";
import { GoogleApiGatewayGateway } from "@cdktf/provider-google-beta/lib/google-api-gateway-gateway";
import type { Naming } from "../core/context";
import { gcpServiceAccounts } from "../core/accounts";
import { enableApis } from "../core/gcp-apis";
import { unknownWorkload, unsupportedGatewayRegion } from "../errors";
import type { InterfaceContract } from "./contract";
import { gatewayDocument, type OpenApi3Document } from "./gateway-openapi";

/** Regions API Gateway runs gateways in (cloud.google.com/api-gateway/docs/deployment-model#regions). */
export const API_GATEWAY_REGIONS = ["asia-east1", "asia-northeast1", "australia-southeast1", "europe-west1", "europe-west2", "us-central1", "us-east1", "us-east4", "us-west2", "us-west3", "us-west4"] as const;

export interface GcpInterfaceProps {
  readonly projectId: string;
  /** Region of the gateway (one of API_GATEWAY_REGIONS). */
  readonly region: string;
  readonly names: Naming;
  /** The google-beta provider (API Gateway exists only there). */
  readonly betaProvider: TerraformProvider;
  /** Who issues the callers' JWTs; the gateway validates them before any backend is called. */
  readonly auth: InterfaceContract["auth"];
  /** The services' OpenAPI 3.1 document (operations name their service in `x-hexproperty-service`). */
  readonly openApi: OpenApi3Document;
  /** Cloud Run URL of each service. */
  readonly backends: Readonly<Record<string, string>>;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The only public entry: API Gateway (google-beta) with an API config built
 * from the services' OpenAPI document (JWT validation with the configured
 * issuer, JWKS and audience; each operation routed to its Cloud Run service)
 * and a regional gateway. The gateway calls the services as its own service
 * account (`identity`), the one caller the services' invoker grants name.
 */
export class GcpInterface extends Construct implements InterfaceContract {
  readonly auth: InterfaceContract["auth"];
  readonly identity: NonNullable<InterfaceContract["identity"]>;
  readonly publicHost: string;
  /** The generated OpenAPI 2.0 document (values may be Terraform tokens). */
  readonly document: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: GcpInterfaceProps) {
    super(scope, id);
    if (!(API_GATEWAY_REGIONS as readonly string[]).includes(props.region)) throw unsupportedGatewayRegion(props.region, API_GATEWAY_REGIONS);
    const labels = props.labels ? { ...props.labels } : undefined;
    const provider = props.betaProvider;
    const apis = enableApis(this, props.projectId, ["apigateway.googleapis.com", "servicemanagement.googleapis.com", "servicecontrol.googleapis.com"]);
    this.identity = gcpServiceAccounts(this, { projectId: props.projectId, names: props.names, workloads: ["gateway"], role: "gateway" }).gateway!;
    const api = new GoogleApiGatewayApi(this, "api", { provider, project: props.projectId, apiId: props.names.resource("api"), displayName: `HexProperty ${props.names.environment}`, labels, dependsOn: apis });
    this.document = gatewayDocument(props.openApi, { backends: props.backends, auth: props.auth }, (service, where) => unknownWorkload(service || `(none, at ${where})`, Object.keys(props.backends)));
    const config = new GoogleApiGatewayApiConfigA(this, "config", {
      provider,
      project: props.projectId,
      api: api.apiId,
      // A config is immutable: a changed document is a new config, created before the old one goes.
      apiConfigIdPrefix: `${props.names.resource("api")}-`,
      displayName: `HexProperty ${props.names.environment} (from services/api/openapi.ts)`,
      // The document is a Terraform local (plain JSON in the stack, the backend URLs interpolated at plan),
      // encoded by Terraform: cdktf renders an object passed to a function as an HCL expression, which is both
      // slower to synthesize and unable to carry a backslash.
      openapiDocuments: [{ document: { path: "openapi.yaml", contents: Fn.base64encode(Fn.jsonencode(new TerraformLocal(this, "openapi", this.document).expression)) } }],
      gatewayConfig: { backendConfig: { googleServiceAccount: this.identity.kind === "gcp-service-account" ? this.identity.email : "" } },
      labels,
      lifecycle: { createBeforeDestroy: true },
    });
    const gateway = new GoogleApiGatewayGateway(this, "gateway", {
      provider,
      project: props.projectId,
      region: props.region,
      gatewayId: props.names.resource("gateway"),
      apiConfig: config.id,
      displayName: `HexProperty ${props.names.environment}`,
      labels,
    });
    this.publicHost = gateway.defaultHostname;
    this.auth = props.auth;
  }
}
