import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { ProjectService } from "@cdktf/provider-google/lib/project-service";

/**
 * The Google APIs a gcp layer uses, enabled once per stack however many
 * layers ask (a folder `apis` at the stack root, one `google_project_service`
 * per API). APIs stay enabled on destroy: disabling one would break whatever
 * else in the project uses it.
 */
export function enableApis(scope: Construct, projectId: string, apis: readonly string[]): ProjectService[] {
  const stack = TerraformStack.of(scope);
  const folder = (stack.node.tryFindChild("apis") as Construct | undefined) ?? new Construct(stack, "apis");
  return apis.map((api) => {
    const id = api.replace(/\.googleapis\.com$/, "");
    return (folder.node.tryFindChild(id) as ProjectService | undefined) ?? new ProjectService(folder, id, { project: projectId, service: api, disableOnDestroy: false, disableDependentServices: false });
  });
}
