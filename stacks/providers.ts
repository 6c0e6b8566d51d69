import type { Construct } from "constructs";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { GoogleBetaProvider } from "@cdktf/provider-google-beta/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import type { GcpSettings, PortableSettings } from "../environments";

export function googleProviders(scope: Construct, gcp: GcpSettings, labels: Record<string, string>): void {
  new GoogleProvider(scope, "google", { project: gcp.projectId, region: gcp.region, defaultLabels: labels, addTerraformAttributionLabel: true });
  new GoogleBetaProvider(scope, "google-beta", { project: gcp.projectId, region: gcp.region, defaultLabels: labels });
}

export function kubernetesProviders(scope: Construct, portable: PortableSettings): void {
  new KubernetesProvider(scope, "kubernetes", { configPath: portable.kubeconfigPath, configContext: portable.kubeContext });
  new HelmProvider(scope, "helm", { kubernetes: { configPath: portable.kubeconfigPath, configContext: portable.kubeContext } });
}
