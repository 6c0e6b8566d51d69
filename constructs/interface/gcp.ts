import { Construct } from "constructs";
import { GoogleApiGatewayApi } from "@cdktf/provider-google-beta/lib/google-api-gateway-api";
import type { LayerContext } from "../core/context";
import type { InterfaceContract } from "./contract";

/** The API Gateway API (google-beta); its config from the services' OpenAPI, the gateway and IAP follow in the gcp stack issue. */
export class GcpInterface extends Construct implements InterfaceContract {
  readonly auth: InterfaceContract["auth"];

  constructor(scope: Construct, id: string, ctx: LayerContext) {
    super(scope, id);
    new GoogleApiGatewayApi(this, "api", { provider: ctx.gcp!.beta, project: ctx.env.gcp!.projectId, apiId: ctx.names.resource("api"), displayName: `HexProperty ${ctx.env.name}`, labels: ctx.env.labels });
    this.auth = ctx.env.auth;
  }
}
