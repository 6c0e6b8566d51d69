/** Layer 8, service mesh: service-to-service traffic, always mutually authenticated. */
export interface MeshContract {
  readonly meshName: string;
  /** How workload-to-workload traffic is authenticated. */
  readonly mtls: "STRICT";
}
