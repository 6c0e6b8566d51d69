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
        entityOperator: { topicOperator: {}, userOperator: {} },
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
      streams,
      subscriptions,
    };
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
