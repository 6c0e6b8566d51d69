import { one } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const gcpRunOwnServiceAccount: ResourceRule = {
  id: "gcp-run-own-service-account",
  scope: "resource",
  layer: "microservices",
  stacks: ["gcp"],
  what: "Every Cloud Run service and job runs as an explicit service account, not the Compute Engine default.",
  why: "The default service account is shared by everything in the project and often holds Editor: grants would no longer follow from the domain catalog.",
  fix: "Set `template.service_account` to the workload's own identity (layers 2 and 3 create one per workload).",
  check(resource) {
    const c = resource.config;
    let account: unknown;
    if (resource.type === "google_cloud_run_v2_service") account = one(c.template)?.service_account;
    else if (resource.type === "google_cloud_run_v2_job") account = one(one(c.template)?.template)?.service_account;
    else if (resource.type === "google_cloud_run_service") account = one(one(c.template)?.spec)?.service_account_name;
    else return verdictOf(false, []);
    const isDefault = typeof account === "string" && /-compute@developer\.gserviceaccount\.com$/.test(account);
    return verdictOf(true, !account ? ["no service account set (runs as the Compute Engine default)"] : isDefault ? [`runs as the Compute Engine default ${account}`] : []);
  },
};
