/**
 * IAM of the whole gcp stack: no basic role, nothing public, and each
 * identity holds exactly what its workload uses. No allUsers /
 * allAuthenticatedUsers binding is needed by the gateway design: API Gateway
 * serves the public without any IAM binding, validates the caller's JWT, and
 * calls the services as its own service account.
 */
import { environment, resources, synthAll } from "../support/synth";

const operators = "group:hexproperty-platform@hexproperty.example";
const stack = synthAll([environment("staging", { gcp: { operators: [operators] } })])["hexproperty-staging"]!;

/** [member, role, iam resource type, target] of every IAM member resource, with logical-id hashes dropped. */
const bindings = resources(stack)
  .filter(([type]) => type.endsWith("_iam_member"))
  .map(([type, , body]) => {
    const target = String(body.topic ?? body.subscription ?? body.secret_id ?? body.database ?? body.name ?? (body.condition as { expression?: string } | undefined)?.expression ?? body.project);
    const clean = (s: string) => s.replace(/_[0-9A-F]{8}\.(\w+)\}/g, "}").replace(/\$\{google_(\w+)\.([\w-]+)\}/g, "$2");
    const role = String(body.role).replace(/^\$\{google_project_iam_custom_role\.([\w-]+)_[0-9A-F]{8}\.name\}$/, "custom:$1");
    return [clean(String(body.member)), role, type.replace(/^google_/, ""), clean(target)] as const;
  });
const of = (member: string) => bindings.filter(([m]) => m === member).map(([, role, type, target]) => `${type} ${role} ${target}`).sort();
const sa = (id: string) => `serviceAccount:${id}`;

describe("gcp IAM", () => {
  test("given the whole stack, when synthesized, then no basic role (owner, editor, viewer) is granted", () => {
    expect(bindings.filter(([, role]) => /^roles\/(owner|editor|viewer)$/.test(role))).toEqual([]);
  });

  test("given the gateway design, when synthesized, then no binding names allUsers or allAuthenticatedUsers", () => {
    expect(bindings.filter(([member]) => /allUsers|allAuthenticatedUsers/.test(member))).toEqual([]);
  });

  // roles/pubsub.viewer: metadata only (the readiness check of a workload on the bus reads a topic, and a consumer reads its subscription before pulling).
  // The cache's secrets: only for the workloads that use the cache (search, projector); property and leasing do not.
  test.each([
    ["property", [
      "project_iam_member roles/datastore.user resource.name == \"projects/hexproperty-staging/databases/data_write-property-db\"",
      "pubsub_topic_iam_member roles/pubsub.publisher events_property-topic",
      "pubsub_topic_iam_member roles/pubsub.viewer events_leasing-topic",
      "pubsub_topic_iam_member roles/pubsub.viewer events_property-topic",
    ]],
    ["leasing", [
      "project_iam_member roles/datastore.user resource.name == \"projects/hexproperty-staging/databases/data_write-leasing-db\"",
      "pubsub_topic_iam_member roles/pubsub.publisher events_leasing-topic",
      "pubsub_topic_iam_member roles/pubsub.viewer events_leasing-topic",
      "pubsub_topic_iam_member roles/pubsub.viewer events_property-topic",
      // Leasing looks units up in the read model (services/leasing/infrastructure/unit-directory.ts).
      "spanner_database_iam_member custom:data_read-metadata-role data_read",
      "spanner_database_iam_member roles/spanner.databaseReader data_read",
    ]],
    // Search is on no stream: no Pub/Sub grant at all (its /readyz does not check the bus).
    ["search", [
      "secret_manager_secret_iam_member roles/secretmanager.secretAccessor data_cache-auth",
      "secret_manager_secret_iam_member roles/secretmanager.secretAccessor data_cache-ca",
      "spanner_database_iam_member custom:data_read-metadata-role data_read",
      "spanner_database_iam_member roles/spanner.databaseReader data_read",
    ]],
    ["projector", [
      "project_iam_member roles/datastore.user resource.name == \"projects/hexproperty-staging/databases/data_write-projector-db\"",
      "pubsub_subscription_iam_member roles/pubsub.subscriber events_leasing-dlq-sub",
      "pubsub_subscription_iam_member roles/pubsub.subscriber events_projector-leasing-sub",
      "pubsub_subscription_iam_member roles/pubsub.subscriber events_projector-property-sub",
      "pubsub_subscription_iam_member roles/pubsub.subscriber events_property-dlq-sub",
      "pubsub_subscription_iam_member roles/pubsub.viewer events_projector-leasing-sub",
      "pubsub_subscription_iam_member roles/pubsub.viewer events_projector-property-sub",
      "pubsub_topic_iam_member roles/pubsub.viewer events_leasing-topic",
      "pubsub_topic_iam_member roles/pubsub.viewer events_property-topic",
      "secret_manager_secret_iam_member roles/secretmanager.secretAccessor data_cache-auth",
      "secret_manager_secret_iam_member roles/secretmanager.secretAccessor data_cache-ca",
      "spanner_database_iam_member custom:data_read-metadata-role data_read",
      "spanner_database_iam_member roles/spanner.databaseUser data_read",
    ]],
  ])("given the domain catalog, when synthesized, then %s holds exactly what it uses", (workload, expected) => {
    const layer = workload === "projector" ? "application" : "microservices";
    // Every workload: the mesh client role (it is joined to the mesh) and the write-only telemetry roles (its collector sidecar exports traces and metrics).
    const everyWorkload = ["roles/trafficdirector.client", "roles/cloudtrace.agent", "roles/monitoring.metricWriter"].map((role) => `project_iam_member ${role} hexproperty-staging`);
    expect(of(sa(`${layer}_${workload}-sa`))).toEqual([...expected, ...everyWorkload].sort());
  });

  test("given the runtime's existence check on the read model, when synthesized, then the custom role it is granted holds spanner.databases.get alone", () => {
    expect(Object.values(stack.resource!.google_project_iam_custom_role!).map((r) => r.permissions)).toEqual([["spanner.databases.get"]]);
  });

  test("given the gateway, when synthesized, then its service account may only invoke the three services", () => {
    expect(of(sa("interface_gateway-sa"))).toEqual([
      "cloud_run_v2_service_iam_member roles/run.invoker microservices_leasing_service",
      "cloud_run_v2_service_iam_member roles/run.invoker microservices_property_service",
      "cloud_run_v2_service_iam_member roles/run.invoker microservices_search_service",
    ]);
  });

  test("given every binding, when synthesized, then each member is a workload, the gateway, the operators or the Pub/Sub service agent", () => {
    const members = [...new Set(bindings.map(([m]) => m))].sort();
    expect(members).toEqual([
      operators,
      sa("application_projector-sa"),
      sa("interface_gateway-sa"),
      sa("microservices_leasing-sa"),
      sa("microservices_property-sa"),
      sa("microservices_search-sa"),
      expect.stringMatching(/^serviceAccount:service-\$\{data\.google_project\.project\.number\}@gcp-sa-pubsub\.iam\.gserviceaccount\.com$/),
    ].sort((a, b) => String(a).localeCompare(String(b))));
  });
});
