import { Testing } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { PortableEvents, eventsLayer } from "../../constructs/events";
import { DOMAIN } from "../../constructs/domain";
import { CHARTS } from "../../constructs/core/charts";
import { contextFor, environment, ofType } from "../support/synth";

const dev = environment("dev");
const property = { kind: "kubernetes-service-account", name: "property", namespace: "hexproperty-dev" } as const;
const projector = { kind: "kubernetes-service-account", name: "projector", namespace: "hexproperty-dev" } as const;

type Cr = { manifest: { kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, any> } };

function synth(env = dev, build?: (events: PortableEvents) => void): { json: any; crs: Cr[]; raw: string } {
  const raw = Testing.synthScope((scope) => {
    const events = eventsLayer(contextFor(scope, env), DOMAIN) as PortableEvents;
    build?.(events);
  });
  const json = JSON.parse(raw);
  return { json, raw, crs: ofType(json, "kubernetes_manifest") as unknown as Cr[] };
}
const byKind = (crs: Cr[], kind: string) => crs.filter((c) => c.manifest.kind === kind);

describe("portable event layer (Strimzi Kafka)", () => {
  test("given the layer, when synthesized, then the Strimzi operator is installed from its own repository at the pinned version, watching only the workload namespace", () => {
    const { raw } = synth();
    expect(raw).toHaveResourceWithProperties(Release, { chart: "strimzi-kafka-operator", repository: "https://strimzi.io/charts/", version: CHARTS.strimzi.version, namespace: "hexproperty-operators", atomic: true });
    const release = ofType(JSON.parse(raw), "helm_release")[0]!;
    expect(JSON.parse((release.values as string[])[0]!)).toMatchObject({ watchNamespaces: ["hexproperty-dev"], watchAnyNamespace: false });
  });

  test("given dev's config, when synthesized, then a KRaft cluster of combined broker+controller nodes is sized from it", () => {
    const { crs } = synth();
    const [pool] = byKind(crs, "KafkaNodePool");
    expect(pool!.manifest.spec).toMatchObject({ replicas: 1, roles: ["controller", "broker"], storage: { volumes: [{ size: "10Gi", kraftMetadata: "shared" }] } });
    const [kafka] = byKind(crs, "Kafka");
    expect(kafka!.manifest.metadata.annotations).toEqual({ "strimzi.io/node-pools": "enabled", "strimzi.io/kraft": "enabled" });
    expect(kafka!.manifest.spec.kafka.config).toMatchObject({ "auto.create.topics.enable": false, "offsets.topic.replication.factor": 1, "min.insync.replicas": 1 });
  });

  test("given three replicas, when synthesized, then topics replicate three times with min ISR 2", () => {
    const { crs } = synth(environment("dev", { portable: { kafka: { replicas: 3 } } }));
    expect(byKind(crs, "KafkaNodePool")[0]!.manifest.spec.replicas).toBe(3);
    const topic = byKind(crs, "KafkaTopic").find((t) => t.manifest.metadata.name === "hexproperty-dev-property-events")!;
    expect(topic.manifest.spec).toMatchObject({ replicas: 3, partitions: 3, config: { "min.insync.replicas": 2 } });
  });

  test("given the domain catalog, when synthesized, then every stream has a topic and a dead-letter topic bound to the cluster", () => {
    const names = byKind(synth().crs, "KafkaTopic").map((t) => [t.manifest.metadata.name, t.manifest.metadata.labels!["strimzi.io/cluster"]]);
    expect(names).toEqual(expect.arrayContaining([
      ["hexproperty-dev-property-events", "hexproperty-dev-kafka"],
      ["hexproperty-dev-property-events-dlq", "hexproperty-dev-kafka"],
      ["hexproperty-dev-leasing-events", "hexproperty-dev-kafka"],
      ["hexproperty-dev-leasing-events-dlq", "hexproperty-dev-kafka"],
    ]));
  });

  test("given the cluster, when synthesized, then its only listener is TLS with SCRAM users and authorization is on", () => {
    const kafka = byKind(synth().crs, "Kafka")[0]!.manifest.spec.kafka;
    expect(kafka.listeners).toEqual([{ name: "scram", port: 9093, type: "internal", tls: true, authentication: { type: "scram-sha-512" } }]);
    expect(kafka.authorization).toEqual({ type: "simple" });
  });

  test("given grants, when synthesized, then each identity gets one KafkaUser whose ACLs are exactly what it was granted", () => {
    const { crs } = synth(dev, (e) => { e.grantPublish("property", property); e.grantSubscribe("projector-property", projector); e.grantPublish("property", property); });
    const users = byKind(crs, "KafkaUser");
    expect(users.map((u) => u.manifest.metadata.name).sort()).toEqual(["projector", "property"]);
    const acls = (name: string) => users.find((u) => u.manifest.metadata.name === name)!.manifest.spec.authorization.acls;
    expect(acls("property")).toEqual([{ resource: { type: "topic", name: "hexproperty-dev-property-events", patternType: "literal" }, operations: ["Describe", "Write"] }]);
    expect(acls("projector")).toEqual([
      { resource: { type: "group", name: "hexproperty-dev-projector-property", patternType: "literal" }, operations: ["Read"] },
      { resource: { type: "topic", name: "hexproperty-dev-property-events", patternType: "literal" }, operations: ["Describe", "Read"] },
      { resource: { type: "topic", name: "hexproperty-dev-property-events-dlq", patternType: "literal" }, operations: ["Describe", "Read", "Write"] },
    ]);
  });

  test("given the layer, when asked for its contract, then brokers are the TLS bootstrap and credentials are references only", () => {
    let events!: PortableEvents;
    Testing.synthScope((scope) => { events = eventsLayer(contextFor(scope, dev), DOMAIN) as PortableEvents; });
    expect(events.manifest).toMatchObject({
      kind: "kafka",
      brokers: ["hexproperty-dev-kafka-kafka-bootstrap.hexproperty-dev.svc:9093"],
      tls: true,
      sasl: { mechanism: "scram-sha-512", username: { kind: "env", env: "KAFKA_USERNAME" }, password: { kind: "env", env: "KAFKA_PASSWORD" } },
    });
  });

  test("given an unknown subscription, when granting, then the error lists the known ones", () => {
    expect(() => synth(dev, (e) => e.grantSubscribe("billing", projector))).toThrow('unknown subscription "billing"; subscriptions of this environment: projector-property, projector-leasing');
  });

  test("given TLS, when asked for its contract, then the runtime gets Strimzi's cluster CA by reference", () => {
    let events!: PortableEvents;
    Testing.synthScope((scope) => { events = eventsLayer(contextFor(scope, dev), DOMAIN) as PortableEvents; });
    expect(events.manifest).toMatchObject({ tls: true, ca: { kind: "kubernetes-secret", name: "hexproperty-dev-kafka-cluster-ca-cert", key: "ca.crt", env: "KAFKA_CA" } });
  });

  test("given a readiness grant, when synthesized, then the identity may Describe every stream's topic and nothing else", () => {
    const search = { kind: "kubernetes-service-account", name: "search", namespace: "hexproperty-dev" } as const;
    const users = byKind(synth(dev, (e) => { e.grantInspect(search); e.grantInspect(search); }).crs, "KafkaUser");
    expect(users.map((u) => u.manifest.metadata.name)).toEqual(["search"]);
    expect(users[0]!.manifest.spec.authorization.acls).toEqual([
      { resource: { type: "topic", name: "hexproperty-dev-leasing-events", patternType: "literal" }, operations: ["Describe"] },
      { resource: { type: "topic", name: "hexproperty-dev-property-events", patternType: "literal" }, operations: ["Describe"] },
    ]);
  });

  test("given config sizes, when synthesized, then the Kafka nodes, entity operator and exporter have requests and limits", () => {
    const { crs } = synth();
    expect(byKind(crs, "KafkaNodePool")[0]!.manifest.spec.resources.limits).toEqual({ cpu: "500m", memory: "1Gi" });
    const spec = byKind(crs, "Kafka")[0]!.manifest.spec;
    for (const part of [spec.entityOperator.topicOperator, spec.entityOperator.userOperator, spec.kafkaExporter]) expect(part.resources.limits).toBeDefined();
  });
});
