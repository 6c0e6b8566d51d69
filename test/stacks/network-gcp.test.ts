import { Testing } from "cdktf";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ServiceNetworkingConnection } from "@cdktf/provider-google/lib/service-networking-connection";
import { gcpNetwork } from "../../constructs/network";
import type { GcpLayerContext } from "../../constructs/core/context";
import { contextFor, environment, ofType, synthAll } from "../support/synth";

const staging = environment("staging");
const synth = () => Testing.synthScope((scope) => { gcpNetwork(contextFor(scope, staging) as GcpLayerContext); });

describe("gcp network", () => {
  test("given the environment's network keys, when synthesized, then a custom-mode VPC has one regional subnet with Private Google Access", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(ComputeNetwork, { name: "hexproperty-staging-vpc", auto_create_subnetworks: false, routing_mode: "REGIONAL" });
    expect(out).toHaveResourceWithProperties(ComputeSubnetwork, { region: "europe-west1", ip_cidr_range: "10.20.0.0/20", private_ip_google_access: true });
  });

  test("given Memorystore on Private Service Access, when synthesized, then a VPC_PEERING range of the configured size is peered to servicenetworking", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(ComputeGlobalAddress, { purpose: "VPC_PEERING", address_type: "INTERNAL", prefix_length: 20 });
    const [connection] = ofType(JSON.parse(out), "google_service_networking_connection");
    expect(connection).toMatchObject({ service: "servicenetworking.googleapis.com", reserved_peering_ranges: [expect.stringMatching(/^\$\{google_compute_global_address\..*\.name\}$/)] });
    expect(out).toHaveResource(ServiceNetworkingConnection);
  });

  test("given workloads that egress all traffic through the VPC, when synthesized, then Cloud NAT serves exactly the workloads' subnet", () => {
    const [nat] = ofType(JSON.parse(synth()), "google_compute_router_nat");
    expect(nat).toMatchObject({ nat_ip_allocate_option: "AUTO_ONLY", source_subnetwork_ip_ranges_to_nat: "LIST_OF_SUBNETWORKS", subnetwork: [{ source_ip_ranges_to_nat: ["ALL_IP_RANGES"] }] });
    expect(synth()).toHaveResource(ComputeRouterNat);
  });

  test("given the network asked for by several layers, when the stack is synthesized, then there is one VPC and no firewall rule opens ingress", () => {
    const stack = synthAll([staging])["hexproperty-staging"]!;
    expect(ofType(stack, "google_compute_network")).toHaveLength(1);
    expect(ofType(stack, "google_compute_firewall")).toEqual([]);
  });
});
