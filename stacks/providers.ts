import type { Construct } from "constructs";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { GoogleBetaProvider } from "@cdktf/provider-google-beta/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import type { GcpSettings, PortableSettings } from "../environments";

/**
 * The google and google-beta providers. Terraform binds a resource without an
 * explicit `provider` by its type's prefix (google_* -> google), so every
 * resource generated from @cdktf/provider-google-beta must be given the
 * returned `beta` provider.
 */
export function googleProviders(scope: Construct, gcp: GcpSettings, labels: Record<string, string>): { google: GoogleProvider; beta: GoogleBetaProvider } {
  const google = new GoogleProvider(scope, "google", { project: gcp.projectId, region: gcp.region, defaultLabels: labels, addTerraformAttributionLabel: true });
  const beta = new GoogleBetaProvider(scope, "google-beta", { project: gcp.projectId, region: gcp.region, defaultLabels: labels });
  return { google, beta };
}

export function kubernetesProviders(scope: Construct, portable: PortableSettings): void {
  new KubernetesProvider(scope, "kubernetes", { configPath: portable.kubeconfigPath, configContext: portable.kubeContext });
  new HelmProvider(scope, "helm", { kubernetes: { configPath: portable.kubeconfigPath, configContext: portable.kubeContext } });
}
