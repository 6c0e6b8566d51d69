import { App } from "cdktf";
import { buildEnvironment } from "../../stacks/environment";
import { environments, kubeObjects, ofType, synthAll } from "../support/synth";

describe("stacks", () => {
  const stacks = synthAll(environments({}));

  test("given the shipped environments, when synthesized, then stack names are hexproperty-<env> and hexproperty-<env>-platform where split", () => {
    expect(Object.keys(stacks).sort()).toEqual(["hexproperty-dev", "hexproperty-dev-platform", "hexproperty-prod", "hexproperty-staging"]);
  });

  test("given a portable environment, when synthesized, then the workload stack depends on the platform stack and holds no operator", () => {
    const main = stacks["hexproperty-dev"]!;
    expect(Object.keys(main.resource!.helm_release ?? {})).toHaveLength(1); // the cache chart only
    // The platform stack holds no custom resource: only the workloads' namespace and its default deny (built-in kinds), so CRs never meet a cluster without their CRDs.
    expect([...new Set(kubeObjects(stacks["hexproperty-dev-platform"]!).map((o) => o.kind))].sort()).toEqual(["Namespace", "NetworkPolicy"]);
    expect(Object.keys(stacks["hexproperty-dev-platform"]!.resource!.helm_release!).length).toBeGreaterThanOrEqual(5);
  });

  test("given the workload stack, when synthesized, then the cdktf manifest records its dependency on the platform stack", () => {
    const app = new App({ outdir: "/tmp/hexproperty-deps" });
    const built = buildEnvironment(app, environments({}).find((e) => e.name === "dev")!);
    expect(built.main.dependencies.map((d) => d.node.id)).toEqual(["hexproperty-dev-platform"]);
  });

  test("given each environment, when synthesized, then its state backend comes from config and split stacks keep separate states", () => {
    expect(stacks["hexproperty-prod"]!.terraform.backend).toEqual({ gcs: { bucket: "hexproperty-prod-tfstate", prefix: "hexproperty/prod" } });
    expect(stacks["hexproperty-dev"]!.terraform.backend!.kubernetes).toMatchObject({ secret_suffix: "hexproperty-dev", namespace: "hexproperty-tfstate" });
    expect(stacks["hexproperty-dev-platform"]!.terraform.backend!.kubernetes).toMatchObject({ secret_suffix: "hexproperty-dev-platform" });
  });

  test("given the gcp stack, when synthesized, then both google and google-beta providers are configured for the project", () => {
    const providers = stacks["hexproperty-staging"]!.provider as Record<string, Array<{ project: string; region: string }>>;
    expect(providers.google![0]).toMatchObject({ project: "hexproperty-staging", region: "europe-west1" });
    expect(providers["google-beta"]![0]).toMatchObject({ project: "hexproperty-staging" });
  });

  test("given the portable stacks, when synthesized, then helm is configured with the environment's kube context", () => {
    const helm = (stacks["hexproperty-dev-platform"]!.provider as Record<string, Array<{ kubernetes: { config_context: string } }>>).helm![0]!;
    expect(helm.kubernetes.config_context).toBe("hexproperty-dev");
  });

  test("given the portable namespace, when synthesized, then sidecar injection and the restricted pod security level are on", () => {
    const [ns] = kubeObjects(stacks["hexproperty-dev-platform"]!, "Namespace");
    expect(ns!.metadata.labels).toMatchObject({ "istio-injection": "enabled", "pod-security.kubernetes.io/enforce": "restricted" });
  });
});

describe("ordering of the portable stacks", () => {
  const all = synthAll(environments({}));
  const dev = all["hexproperty-dev"]!;

  test("given Terraform's parallel apply, when synthesized, then the workloads' namespace is in the platform stack, which the workload stack depends on", () => {
    // The workloads' namespace and Filebeat's (support layer, logs).
    expect(kubeObjects(all["hexproperty-dev-platform"]!, "Namespace").map((o) => o.metadata.name).sort()).toEqual(["hexproperty-dev", "hexproperty-dev-logging"]);
    expect(kubeObjects(dev, "Namespace")).toEqual([]);
    expect(kubeObjects(dev).filter((o) => o.metadata.namespace === "hexproperty-dev").length).toBeGreaterThan(10);
  });

  test("given the namespace belongs to the platform stack, when a release installs into it, then the release does not create it", () => {
    const inNamespace = ofType(dev, "helm_release").filter((r) => r.namespace === "hexproperty-dev");
    expect(inNamespace.length).toBeGreaterThan(0);
    for (const r of inNamespace) expect(r.create_namespace).toBe(false);
  });
});

describe("portable data access", () => {
  const dev = synthAll(environments({}))["hexproperty-dev"]!;
  const policies = kubeObjects(dev, "NetworkPolicy");
  const clients = (name: string): string[] => policies.find((p) => p.metadata.name === name)!.spec.ingress[1].from[0].podSelector.matchExpressions[0].values;

  test("given the domain's data needs, when synthesized, then each store admits exactly the workloads granted to it", () => {
    // The projector keeps its projection state in a write store and invalidates search cache entries (services/projector).
    expect(clients("hexproperty-dev-write-access")).toEqual(["leasing", "projector", "property"]);
    // Leasing looks units up in the read model (services/leasing/infrastructure/unit-directory.ts).
    expect(clients("hexproperty-dev-read-access")).toEqual(["leasing", "projector", "search"]);
    // Only search and the projector use the cache (services/*/index.ts).
    expect(clients("hexproperty-dev-cache-access")).toEqual(["projector", "search"]);
  });

  // Strimzi writes a KafkaUser's password to a Secret of its name; a Deployment referring to one no KafkaUser creates never starts.
  test("given each Deployment's Kafka password reference, when synthesized, then a KafkaUser of that name creates its Secret", () => {
    const users = kubeObjects(dev, "KafkaUser").map((u) => u.metadata.name);
    for (const d of kubeObjects(dev, "Deployment")) {
      const ref = ((d.spec.template.spec.containers[0].env ?? []) as Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string } } }>).find((e) => e.name === "KAFKA_PASSWORD");
      if (ref) expect([d.metadata.name, users]).toEqual([d.metadata.name, expect.arrayContaining([ref.valueFrom!.secretKeyRef!.name])]);
    }
  });

  // Each Deployment is handed the secrets of the backends it uses (catalog backendsOf), no other; the manifest still describes
  // every backend, and the runtime opens only the used ones (connect option ports), so an unhanded reference is never resolved.
  type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };
  const envOf = (workload: string): EnvVar[] => kubeObjects(dev, "Deployment").find((d) => d.metadata.name === workload)!.spec.template.spec.containers[0].env;
  const secretNames = (workload: string): string[] => [...new Set(envOf(workload).flatMap((e) => e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : []))].sort();

  test.each([
    ["property", ["KAFKA_CA", "KAFKA_PASSWORD", "KAFKA_USERNAME", "POSTGRES_CA", "POSTGRES_PASSWORD"]],
    ["leasing", ["CLICKHOUSE_PASSWORD", "KAFKA_CA", "KAFKA_PASSWORD", "KAFKA_USERNAME", "POSTGRES_CA", "POSTGRES_PASSWORD"]],
    ["search", ["CLICKHOUSE_PASSWORD", "REDIS_PASSWORD"]],
    ["projector", ["CLICKHOUSE_PASSWORD", "KAFKA_CA", "KAFKA_PASSWORD", "KAFKA_USERNAME", "POSTGRES_CA", "POSTGRES_PASSWORD", "REDIS_PASSWORD"]],
  ])("given what %s uses, when synthesized, then its Deployment is handed exactly the secret references of those backends", (workload, expected) => {
    const handed = envOf(workload).filter((e) => e.valueFrom || /^KAFKA_/.test(e.name)).map((e) => e.name).sort();
    expect(handed).toEqual(expected);
  });

  test("given search is on no stream, when synthesized, then its Deployment references no Kafka secret and it has no KafkaUser (so no broker access)", () => {
    expect(secretNames("search").filter((n) => /kafka|^search$/.test(n))).toEqual([]);
    expect(envOf("search").filter((e) => /^KAFKA_/.test(e.name))).toEqual([]);
    expect(kubeObjects(dev, "KafkaUser").map((u) => u.metadata.name)).not.toContain("search");
    const toKafka = policies.find((p) => p.metadata.name === "hexproperty-dev-clients-to-kafka")!;
    expect(toKafka.spec.podSelector.matchExpressions[0].values).not.toContain("search");
  });

  test.each(["property", "leasing"])("given %s does not use the cache, when synthesized, then its Deployment references none of the cache's secrets", (workload) => {
    expect(secretNames(workload).filter((n) => /cache/.test(n))).toEqual([]);
    expect(envOf(workload).map((e) => e.name)).not.toContain("REDIS_PASSWORD");
  });
});
