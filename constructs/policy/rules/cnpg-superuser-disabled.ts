import { kubeName, kubeObject } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

export const cnpgSuperuserDisabled: ResourceRule = {
  id: "cnpg-superuser-disabled",
  scope: "resource",
  layer: "data",
  stacks: ["portable"],
  what: "Every CloudNativePG cluster disables superuser access from the network (`enableSuperuserAccess: false`).",
  why: "Applications connect as the database owner; a network-reachable postgres superuser can read every database and run programs on the server.",
  fix: "Set `spec.enableSuperuserAccess: false` (CloudNativePG's default) and use the generated `<cluster>-app` Secret.",
  check(resource) {
    const object = kubeObject(resource, "Cluster");
    const applicable = object !== undefined && String(object.apiVersion).startsWith("postgresql.cnpg.io/");
    return verdictOf(applicable, object?.spec?.enableSuperuserAccess === true ? [`${kubeName(object)} enables superuser access`] : []);
  },
};
