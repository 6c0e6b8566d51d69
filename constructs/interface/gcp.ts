import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { GoogleApiGatewayApi } from "@cdktf/provider-google-beta/lib/google-api-gateway-api";
import type { Naming } from "../core/context";
import type { InterfaceContract } from "./contract";

export interface GcpInterfaceProps {
  readonly projectId: string;
  readonly names: Naming;
  /** The google-beta provider (API Gateway exists only there). */
  readonly betaProvider: TerraformProvider;
  /** Who issues the callers' JWTs. */
  readonly auth: InterfaceContract["auth"];
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The API Gateway API (google-beta); its config from the services' OpenAPI, the gateway and IAP follow in the gcp stack issue. */
export class GcpInterface extends Construct implements InterfaceContract {
  readonly auth: InterfaceContract["auth"];

  constructor(scope: Construct, id: string, props: GcpInterfaceProps) {
    super(scope, id);
    new GoogleApiGatewayApi(this, "api", { provider: props.betaProvider, project: props.projectId, apiId: props.names.resource("api"), displayName: `HexProperty ${props.names.environment}`, labels: props.labels ? { ...props.labels } : undefined });
    this.auth = props.auth;
  }
}
