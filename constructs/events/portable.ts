import { Construct } from "constructs";
import { Lazy } from "cdktf";
import type { Naming } from "../core/context";
import { CHARTS, KAFKA_VERSION } from "../core/charts";
import { PinnedRelease } from "../core/helm";
import { CustomResource } from "../core/manifest";
import { kubernetesAccount, type Identity } from "../core/identity";
import { eventNames, type DomainContract } from "../domain";
import type { EventDelivery, EventsContract } from "./contract";
import { unknownStream, unknownSubscription } from "../errors";
import { flowPolicy, quantities } from "../core/kube-workload";

const STRIMZI_API = "kafka.strimzi.io/v1beta2";
/** The in-cluster listener: TLS with SCRAM-SHA-512 users; there is no plaintext listener. */
const LISTENER_PORT = 9093;

interface AclRule {
  readonly resource: { readonly type: "topic" | "group"; readonly name: string; readonly patternType: "literal" };
  readonly operations: readonly string[];
}

export interface PortableEventsProps {
  /** Namespace of the Kafka cluster, its topics and users (the workloads' namespace). */
  readonly namespace: string;
  /** Namespace of the Strimzi operator. */
  readonly operatorsNamespace: string;
  readonly names: Naming;
  readonly domain: DomainContract;
  readonly delivery: EventDelivery;
  /** Combined broker+controller nodes (KRaft). */
  readonly replicas: number;
  readonly storageGi: number;
  /** CPU (cores) of each Kafka node; requests = limits. @default 1 */
  readonly cpu?: number;
  /** Memory of each Kafka node, MiB; requests = limits. @default 2048 */
  readonly memoryMiB?: number;
  /** Namespace of Prometheus (scrapes the Kafka exporter: consumer lag, dead-letter growth). @default - the operators' namespace */
  readonly monitoringNamespace?: string;
  /** @default - the cluster's default storage class */
  readonly storageClass?: string;
  /** Where the operator (and its CRDs) go. @default - this construct */
  readonly platform?: Construct;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Kafka on Kubernetes: the Strimzi operator (platform stack, installs the
 * CRDs), a KRaft cluster of combined broker+controller nodes sized from
 * config, a KafkaTopic per stream and per dead-letter topic, and one
 * KafkaUser per workload identity whose ACLs follow from the grants.
 */
export class PortableEvents extends Construct implements EventsContract {
  readonly kind = "kafka" as const;
  readonly streams: EventsContract["streams"];
  readonly subscriptions: EventsContract["subscriptions"];
  readonly manifest: EventsContract["manifest"];
  readonly clusterName: string;
  readonly operator: PinnedRelease;

  private readonly namespace: string;
  private readonly users = new Map<string, AclRule[]>();

  constructor(scope: Construct, id: string, props: PortableEventsProps) {
    super(scope, id);
    const { names, domain, delivery } = props;
    const portable = { namespace: props.namespace, operatorsNamespace: props.operatorsNamespace, storageClass: props.storageClass };
    this.namespace = props.namespace;
    this.clusterName = names.resource("kafka");
    const replicas = props.replicas;
    const replication = Math.min(3, replicas);
    const minInSync = replication >= 3 ? 2 : 1;
    const labels = { ...props.labels, "strimzi.io/cluster": this.clusterName };
    const small = { requests: quantities(0.1, 256), limits: quantities(0.5, 512) };

    this.operator = new PinnedRelease(props.platform ?? this, "strimzi-operator", {
      pin: CHARTS.strimzi,
      name: "strimzi",
      namespace: portable.operatorsNamespace,
      values: { watchNamespaces: [portable.namespace], watchAnyNamespace: false, resources: { requests: { cpu: "100m", memory: "384Mi" } } },
    });

    new CustomResource(this, "node-pool", {
      apiVersion: STRIMZI_API,
      kind: "KafkaNodePool",
      name: "dual-role",
      namespace: portable.namespace,
      labels,
      spec: {
        replicas,
        roles: ["controller", "broker"],
        resources: { requests: quantities(props.cpu ?? 1, props.memoryMiB ?? 2048), limits: quantities(props.cpu ?? 1, props.memoryMiB ?? 2048) },
        storage: {
          type: "jbod",
          volumes: [{ id: 0, type: "persistent-claim", size: `${props.storageGi}Gi`, deleteClaim: false, kraftMetadata: "shared", ...(portable.storageClass ? { class: portable.storageClass } : {}) }],
        },
      },
    });

    new CustomResource(this, "cluster", {
      apiVersion: STRIMZI_API,
      kind: "Kafka",
      name: this.clusterName,
      namespace: portable.namespace,
      labels: props.labels ? { ...props.labels } : undefined,
      annotations: { "strimzi.io/node-pools": "enabled", "strimzi.io/kraft": "enabled" },
      spec: {
        kafka: {
          version: KAFKA_VERSION,
          listeners: [{ name: "scram", port: LISTENER_PORT, type: "internal", tls: true, authentication: { type: "scram-sha-512" } }],
          authorization: { type: "simple" },
          config: {
            "auto.create.topics.enable": false,
            "default.replication.factor": replication,
            "min.insync.replicas": minInSync,
            "offsets.topic.replication.factor": replication,
            "transaction.state.log.replication.factor": replication,
            "transaction.state.log.min.isr": minInSync,
          },
        },
        entityOperator: { topicOperator: { resources: small }, userOperator: { resources: small } },
        // Consumer-group lag and topic offsets as Prometheus metrics (alerts: consumer lag, dead-letter growth).
        kafkaExporter: { topicRegex: ".*", groupRegex: ".*", resources: small },
      },
    });

    const retentionMs = delivery.retentionHours * 3600 * 1000;
    const named = eventNames(names.resource(), domain);
    const streams: Record<string, { topic: string; deadLetterTopic: string }> = {};
    const subscriptions: Record<string, EventsContract["subscriptions"][string]> = {};
    for (const stream of domain.streams) {
      const { topic, deadLetterTopic } = named.streams[stream.name]!;
      for (const [suffix, name, partitions] of [["topic", topic, delivery.partitions], ["dlq", deadLetterTopic, 1]] as const) {
        new CustomResource(this, `${stream.name}-${suffix}`, {
          apiVersion: STRIMZI_API,
          kind: "KafkaTopic",
          name,
          namespace: portable.namespace,
          labels,
          spec: { topicName: name, partitions, replicas: replication, config: { "retention.ms": retentionMs, "min.insync.replicas": minInSync, "cleanup.policy": "delete" } },
        });
      }
      streams[stream.name] = { topic, deadLetterTopic };
      for (const subscriptionName of Object.keys(stream.consumers)) {
        subscriptions[subscriptionName] = { stream: stream.name, subscription: named.subscriptions[subscriptionName]!.subscription, maxDeliveryAttempts: delivery.maxDeliveryAttempts, ackDeadlineSeconds: delivery.ackDeadlineSeconds };
      }
    }
    this.streams = streams;
    this.subscriptions = subscriptions;
    this.manifest = {
      kind: "kafka",
      brokers: [`${this.clusterName}-kafka-bootstrap.${portable.namespace}.svc:${LISTENER_PORT}`],
      clientId: names.resource("runtime"),
      tls: true,
      sasl: { mechanism: "scram-sha-512", username: { kind: "env", env: "KAFKA_USERNAME" }, password: { kind: "env", env: "KAFKA_PASSWORD" } },
      // The listener's certificate is signed by Strimzi's cluster CA, published in this Secret.
      ca: { kind: "kubernetes-secret", name: `${this.clusterName}-cluster-ca-cert`, key: "ca.crt", env: "KAFKA_CA" },
      streams,
      subscriptions,
    };

    // Exactly the granted users' pods reach the brokers (rendered from the KafkaUsers at synthesis).
    const granted = Lazy.listValue({ produce: () => [...this.users.keys()].sort() }) as unknown as string[];
    const kafkaPods = { "strimzi.io/cluster": this.clusterName, "strimzi.io/kind": "Kafka" };
    const ns = portable.namespace;
    const common = { namespace: ns, labels: props.labels };
    flowPolicy(this, "kafka-from-clients", { ...common, name: names.resource("kafka-from-clients"), subject: { pods: kafkaPods }, direction: "Ingress", peers: [{ workloads: granted }], ports: [LISTENER_PORT], reason: "catalog: streams[].publishers and consumers (one KafkaUser per granted workload)" });
    flowPolicy(this, "clients-to-kafka", { ...common, name: names.resource("clients-to-kafka"), subject: { workloads: granted }, direction: "Egress", peers: [{ pods: kafkaPods }], ports: [LISTENER_PORT], reason: "catalog: streams[].publishers and consumers (one KafkaUser per granted workload)" });
    // The cluster's own pods (brokers, entity operator, exporter) talk among themselves; the operator manages them.
    const own = { "strimzi.io/cluster": this.clusterName };
    flowPolicy(this, "kafka-internal-in", { ...common, name: names.resource("kafka-internal-in"), subject: { pods: own }, direction: "Ingress", peers: [{ pods: own }, { namespace: portable.operatorsNamespace }], reason: "platform: Kafka replication and controller quorum; the Strimzi operator" });
    flowPolicy(this, "kafka-internal-out", { ...common, name: names.resource("kafka-internal-out"), subject: { pods: own }, direction: "Egress", peers: [{ pods: own }], reason: "platform: Kafka replication and controller quorum" });
    // The entity operator watches KafkaTopics/KafkaUsers: the Kubernetes API (address not known to the stack).
    flowPolicy(this, "kafka-to-apiserver", { ...common, name: names.resource("kafka-to-apiserver"), subject: { pods: own }, direction: "Egress", peers: [{ cidr: "0.0.0.0/0" }], ports: [443, 6443], reason: "platform: the entity operator watches KafkaTopics and KafkaUsers on the Kubernetes API" });
    flowPolicy(this, "kafka-exporter-from-monitoring", { ...common, name: names.resource("kafka-exporter-from-monitoring"), subject: { pods: { "strimzi.io/cluster": this.clusterName, "strimzi.io/kind": "Kafka", "strimzi.io/name": `${this.clusterName}-kafka-exporter` } }, direction: "Ingress", peers: [{ namespace: props.monitoringNamespace ?? portable.operatorsNamespace }], ports: [9404], reason: "telemetry: Prometheus scrapes consumer lag and topic offsets" });
  }

  /** Lets `identity` check the bus is reachable (readiness): Describe on every stream's topic, nothing else. */
  grantInspect(identity: Identity): void {
    this.addAcls(identity, Object.values(this.streams).map((t) => ({ resource: { type: "topic" as const, name: t.topic, patternType: "literal" as const }, operations: ["Describe"] })));
  }

  grantPublish(stream: string, identity: Identity): void {
    const topics = this.streams[stream];
    if (!topics) throw unknownStream(stream, Object.keys(this.streams));
    this.addAcls(identity, [{ resource: { type: "topic", name: topics.topic, patternType: "literal" }, operations: ["Write", "Describe"] }]);
  }

  grantSubscribe(subscription: string, identity: Identity): void {
    const sub = this.subscriptions[subscription];
    if (!sub) throw unknownSubscription(subscription, Object.keys(this.subscriptions));
    const topics = this.streams[sub.stream]!;
    this.addAcls(identity, [
      { resource: { type: "topic", name: topics.topic, patternType: "literal" }, operations: ["Read", "Describe"] },
      { resource: { type: "group", name: sub.subscription, patternType: "literal" }, operations: ["Read"] },
      // The consumer forwards a message to the dead-letter topic after maxDeliveryAttempts, and may read it back.
      { resource: { type: "topic", name: topics.deadLetterTopic, patternType: "literal" }, operations: ["Write", "Read", "Describe"] },
    ]);
  }

  /** The KafkaUser of an identity; created on first grant, its ACLs rendered at synthesis. */
  private addAcls(identity: Identity, rules: AclRule[]): void {
    const account = kubernetesAccount(identity);
    let acls = this.users.get(account.name);
    if (!acls) {
      const list: AclRule[] = [];
      acls = list;
      this.users.set(account.name, list);
      new CustomResource(this, `user-${account.name}`, {
        apiVersion: STRIMZI_API,
        kind: "KafkaUser",
        name: account.name,
        namespace: this.namespace,
        labels: { "strimzi.io/cluster": this.clusterName },
        spec: {
          authentication: { type: "scram-sha-512" },
          authorization: { type: "simple", acls: Lazy.anyValue({ produce: () => dedupeAcls(list) }) },
        },
      });
    }
    acls.push(...rules);
  }
}

function dedupeAcls(rules: readonly AclRule[]): AclRule[] {
  const seen = new Map<string, AclRule>();
  for (const rule of rules) {
    const key = `${rule.resource.type}/${rule.resource.name}`;
    const existing = seen.get(key);
    const operations = [...new Set([...(existing?.operations ?? []), ...rule.operations])].sort();
    seen.set(key, { resource: rule.resource, operations });
  }
  return [...seen.values()].sort((a, b) => `${a.resource.type}/${a.resource.name}`.localeCompare(`${b.resource.type}/${b.resource.name}`));
}
