import type { Construct } from "constructs";
import { GcsBackend, LocalBackend, TerraformBackend, TerraformRemoteState, type TerraformStack } from "cdktf";
import type { Environment } from "../environments";

/** Puts the environment's Terraform state backend on a stack; `part` keeps split stacks' states apart. */
export function configureBackend(stack: TerraformStack, env: Environment, part?: string): void {
  const backend = env.backend;
  switch (backend.kind) {
    case "gcs":
      new GcsBackend(stack, { bucket: backend.bucket, prefix: part ? `${backend.prefix}/${part}` : backend.prefix });
      return;
    case "kubernetes":
      new KubernetesBackend(stack, {
        secretSuffix: part ? `${backend.secretSuffix}-${part}` : backend.secretSuffix,
        namespace: backend.namespace,
        ...(env.stack === "portable" ? { configPath: env.portable.kubeconfigPath, configContext: env.portable.kubeContext } : { configPath: "~/.kube/config" }),
      });
      return;
    case "local":
      new LocalBackend(stack, { path: part ? `${backend.path}/${env.name}-${part}.tfstate` : `${backend.path}/${env.name}.tfstate` });
      return;
  }
}

interface KubernetesBackendProps {
  readonly secretSuffix: string;
  readonly namespace: string;
  readonly configPath: string;
  readonly configContext?: string;
}

/** Terraform's `kubernetes` backend (state in a Secret, locked with a Lease); cdktf 0.21 ships no class for it. */
export class KubernetesBackend extends TerraformBackend {
  constructor(scope: Construct, private readonly props: KubernetesBackendProps) {
    super(scope, "backend", "kubernetes");
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return snake(this.props);
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return snake(this.props);
  }

  getRemoteStateDataSource(scope: Construct, name: string, fromStack: string): TerraformRemoteState {
    return new DataTerraformRemoteStateKubernetes(scope, name, { ...snake(this.props), secret_suffix: `${fromStack}` });
  }
}

class DataTerraformRemoteStateKubernetes extends TerraformRemoteState {
  constructor(scope: Construct, id: string, config: Record<string, unknown>) {
    super(scope, id, "kubernetes", config);
  }
}

function snake(props: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}
