/** Layer 8, service mesh: service-to-service traffic. */
export interface MeshContract {
  readonly meshName: string;
  /**
   * What the resources enforce for workload-to-workload traffic, and nothing
   * more: "STRICT" only where a policy rejects plaintext (Istio
   * PeerAuthentication); "NOT_ENFORCED" where no resource of the stack does.
   */
  readonly mtls: "STRICT" | "NOT_ENFORCED";
  /** One sentence on how service-to-service calls are authenticated. */
  readonly enforcement: string;
}
