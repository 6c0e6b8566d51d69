/**
 * Read-only views of synthesized resources shared by the rules: Kubernetes
 * objects, pod specs and containers, IAM members, labels, references.
 */
import type { PolicyResource } from "./rule";

export type Json = any;

/** A value Terraform computes (a `${...}` reference or expression): rules skip it, never guess. */
export function isReference(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** The Kubernetes object of a `kubernetes_manifest`, or undefined. */
export function kubeObject(resource: PolicyResource, ...kinds: string[]): Json | undefined {
  if (resource.type !== "kubernetes_manifest") return undefined;
  const object = resource.config.manifest;
  if (!object || typeof object !== "object") return undefined;
  return kinds.length === 0 || kinds.includes(object.kind) ? object : undefined;
}

/** `namespace/name` (or `name`) of a Kubernetes object, for messages. */
export function kubeName(object: Json): string {
  const meta = object?.metadata ?? {};
  return meta.namespace ? `${object?.kind} ${meta.namespace}/${meta.name}` : `${object?.kind} ${meta.name}`;
}

/** Kinds whose objects carry a pod template, and where it is. */
const POD_TEMPLATE: Record<string, (o: Json) => Json> = {
  Pod: (o) => o.spec,
  Deployment: (o) => o.spec?.template?.spec,
  StatefulSet: (o) => o.spec?.template?.spec,
  DaemonSet: (o) => o.spec?.template?.spec,
  ReplicaSet: (o) => o.spec?.template?.spec,
  Job: (o) => o.spec?.template?.spec,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template?.spec,
};

/** The pod spec of a workload object (Deployment, StatefulSet, ..., Pod), or undefined. */
export function podSpec(resource: PolicyResource): Json | undefined {
  const object = kubeObject(resource);
  const at = object ? POD_TEMPLATE[object.kind] : undefined;
  return at ? at(object) ?? {} : undefined;
}

export interface ContainerView {
  /** `Deployment ns/name container "app"`, for messages. */
  readonly where: string;
  readonly container: Json;
  /** The pod spec it belongs to (Kubernetes), for pod-level defaults. */
  readonly pod?: Json;
}

/** Every container (init and regular) of a Kubernetes workload. */
export function kubeContainers(resource: PolicyResource): ContainerView[] {
  const pod = podSpec(resource);
  if (!pod) return [];
  const object = kubeObject(resource);
  const all = [...asArray(pod.initContainers), ...asArray(pod.containers), ...asArray(pod.ephemeralContainers)];
  return all.map((container) => ({ where: `${kubeName(object)} container "${container?.name ?? "?"}"`, container, pod }));
}

/** Every container of a Cloud Run service or job (v2 and v1). */
export function cloudRunContainers(resource: PolicyResource): ContainerView[] {
  const c = resource.config;
  let containers: Json[] = [];
  if (resource.type === "google_cloud_run_v2_service") containers = asArray(one(c.template)?.containers);
  else if (resource.type === "google_cloud_run_v2_job") containers = asArray(one(one(c.template)?.template)?.containers);
  else if (resource.type === "google_cloud_run_service") containers = asArray(one(one(c.template)?.spec)?.containers);
  else return [];
  return containers.map((container, i) => ({ where: `${resource.type} ${c.name ?? ""} container ${container?.name ?? i}`, container }));
}

/** A block Terraform JSON may render as an object or a one-element list. */
export function one(value: Json): Json {
  return Array.isArray(value) ? value[0] : value;
}

export function asArray(value: Json): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Does `type` grant IAM (`*_iam_member`, `*_iam_binding`, `*_iam_policy`)? */
export function isIamGrant(type: string): boolean {
  return /^google_.+_iam_(member|binding|policy)$/.test(type);
}

/** Role and members of each grant an IAM resource makes (policy_data parsed when literal JSON). */
export function iamGrants(resource: PolicyResource): Array<{ role: string; members: string[] }> {
  const c = resource.config;
  if (/_iam_member$/.test(resource.type)) return [{ role: String(c.role ?? ""), members: [String(c.member ?? "")] }];
  if (/_iam_binding$/.test(resource.type)) return [{ role: String(c.role ?? ""), members: asArray(c.members).map(String) }];
  if (/_iam_policy$/.test(resource.type) && typeof c.policy_data === "string" && !isReference(c.policy_data)) {
    try {
      const policy = JSON.parse(c.policy_data) as { bindings?: Array<{ role?: string; members?: string[] }> };
      return (policy.bindings ?? []).map((b) => ({ role: String(b.role ?? ""), members: asArray(b.members).map(String) }));
    } catch {
      return [];
    }
  }
  if (resource.type === "google_iam_policy") return asArray(c.binding).map((b: Json) => ({ role: String(b.role ?? ""), members: asArray(b.members).map(String) }));
  return [];
}

/** Is the resource part of the public edge (settings.publicEdge)? */
export function onPublicEdge(resource: PolicyResource, publicEdge: readonly string[]): boolean {
  return publicEdge.some((prefix) => resource.path === prefix || resource.path.startsWith(`${prefix}/`));
}

/** Calls `visit` for every [path, key, value] under `value` (objects and arrays). */
export function walk(value: Json, visit: (path: string, key: string, value: Json, parent: Json) => void, path = ""): void {
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, visit, `${path}[${i}]`));
  else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      visit(at, key, child, value);
      walk(child, visit, at);
    }
  }
}

/** A Helm release's values documents, parsed (literal JSON/YAML-as-JSON only). */
export function helmValues(resource: PolicyResource): Json[] {
  if (resource.type !== "helm_release") return [];
  return asArray(resource.config.values).flatMap((doc: Json) => {
    if (typeof doc !== "string" || isReference(doc)) return [];
    try {
      return [JSON.parse(doc)];
    } catch {
      return [];
    }
  });
}
