/** Shared by the *-portable tests: dev (portable as shipped) and prod flipped to portable, synthesized once per test file. */
import { environment, kubeObjects, synthAll, type KubeObjectJson, type TerraformJson } from "../support/synth";

export interface PortableStacks {
  readonly main: TerraformJson;
  readonly platform: TerraformJson;
  readonly objects: KubeObjectJson[];
  readonly platformObjects: KubeObjectJson[];
}

export function portableStacks(env: "dev" | "prod" = "dev"): PortableStacks {
  const e = env === "dev" ? environment("dev") : environment("prod", { stack: "portable" });
  const stacks = synthAll([e]);
  const main = stacks[`hexproperty-${env}`]!;
  const platform = stacks[`hexproperty-${env}-platform`]!;
  return { main, platform, objects: kubeObjects(main), platformObjects: kubeObjects(platform) };
}

export const ofKind = (objects: readonly KubeObjectJson[], kind: string): KubeObjectJson[] => objects.filter((o) => o.kind === kind);
export const named = (objects: readonly KubeObjectJson[], kind: string, name: string): KubeObjectJson => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
