import { Construct } from "constructs";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { ServiceNetworkingConnection } from "@cdktf/provider-google/lib/service-networking-connection";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import type { Naming } from "../core/context";
import { enableApis } from "../core/gcp-apis";

export interface GcpNetworkProps {
  readonly projectId: string;
  readonly region: string;
  readonly names: Naming;
  /** Primary range of the regional subnet; Cloud Run's Direct VPC egress takes its addresses from it. */
  readonly subnetCidr: string;
  /** Prefix length of the range reserved for Private Service Access (Memorystore). @default 20 */
  readonly serviceAccessPrefixLength?: number;
}

/** What workloads and stores attach to. */
export interface IGcpNetwork {
  /** `projects/P/global/networks/N` */
  readonly networkId: string;
  /** `projects/P/regions/R/subnetworks/S` */
  readonly subnetworkId: string;
  /** Private Service Access: producers (Memorystore) get addresses from this range over the peering. */
  readonly serviceAccessRange: string;
  /** The peering to Google's service producers; stores using it must wait for it. */
  readonly serviceAccess: ServiceNetworkingConnection;
}

/**
 * The environment's VPC: one regional subnet with Private Google Access (the
 * workloads reach Google APIs without public addresses), a range reserved
 * for Private Service Access and the peering to Google's service producers
 * (Memorystore), and Cloud NAT so workloads that egress all their traffic
 * through the VPC (Direct VPC egress) still reach the internet (the JWT
 * issuer's JWKS). No firewall rule opens ingress: the VPC's implied rules deny it.
 */
export class GcpNetwork extends Construct implements IGcpNetwork {
  readonly networkId: string;
  readonly subnetworkId: string;
  readonly serviceAccessRange: string;
  readonly serviceAccess: ServiceNetworkingConnection;

  constructor(scope: Construct, id: string, props: GcpNetworkProps) {
    super(scope, id);
    const { projectId, region, names } = props;
    const apis = enableApis(this, projectId, ["compute.googleapis.com", "servicenetworking.googleapis.com"]);
    const network = new ComputeNetwork(this, "vpc", {
      project: projectId,
      name: names.resource("vpc"),
      description: `HexProperty ${names.environment} workloads and stores`,
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      dependsOn: apis,
    });
    const subnet = new ComputeSubnetwork(this, "subnet", {
      project: projectId,
      name: names.resource("workloads"),
      region,
      network: network.id,
      ipCidrRange: props.subnetCidr,
      privateIpGoogleAccess: true,
      description: "Direct VPC egress of the Cloud Run workloads",
    });
    const range = new ComputeGlobalAddress(this, "service-access-range", {
      project: projectId,
      name: names.resource("service-access"),
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      prefixLength: props.serviceAccessPrefixLength ?? 20,
      network: network.id,
      description: "Private Service Access (Memorystore)",
    });
    this.serviceAccess = new ServiceNetworkingConnection(this, "service-access", {
      network: network.id,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [range.name],
    });
    const router = new ComputeRouter(this, "router", { project: projectId, name: names.resource("router"), region, network: network.id });
    new ComputeRouterNat(this, "nat", {
      project: projectId,
      name: names.resource("nat"),
      region,
      router: router.name,
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetwork: [{ name: subnet.selfLink, sourceIpRangesToNat: ["ALL_IP_RANGES"] }],
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    });
    this.networkId = network.id;
    this.subnetworkId = subnet.id;
    this.serviceAccessRange = range.name;
  }
}
