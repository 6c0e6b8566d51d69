import { Construct } from "constructs";
import { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic";
import { PubsubSubscription } from "@cdktf/provider-google/lib/pubsub-subscription";
import { PubsubTopicIamMember } from "@cdktf/provider-google/lib/pubsub-topic-iam-member";
import { PubsubSubscriptionIamMember } from "@cdktf/provider-google/lib/pubsub-subscription-iam-member";
import { deadLetterReaderSubscription } from "@hexproperty/runtime/topology";
import type { Naming } from "../core/context";
import { GrantLedger, iamMember, type Identity } from "../core/identity";
import { eventNames, type DomainContract } from "../domain";
import type { EventDelivery, EventsContract } from "./contract";
import { unknownStream, unknownSubscription } from "../errors";
import { enableApis } from "../core/gcp-apis";

interface StreamResources {
  readonly topic: PubsubTopic;
  readonly deadLetter: PubsubTopic;
  readonly deadLetterSubscription: PubsubSubscription;
}

export interface GcpEventsProps {
  readonly projectId: string;
  /** Project number, for the Pub/Sub service agent that forwards dead letters. */
  readonly projectNumber: string;
  /** The only region topics store messages in (data residency). @default - Pub/Sub's default: any region the organization policy allows */
  readonly region?: string;
  readonly names: Naming;
  /** The streams and their consumers. */
  readonly domain: DomainContract;
  readonly delivery: EventDelivery;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Pub/Sub: a topic per domain event stream, a dead-letter topic (with a
 * subscription so dead letters are kept and can be inspected), one
 * subscription per consumer with ordering, retry policy and dead-letter
 * policy, and the Pub/Sub service agent's grants that dead-lettering needs.
 */
export class GcpEvents extends Construct implements EventsContract {
  readonly kind = "pubsub" as const;
  readonly streams: EventsContract["streams"];
  readonly subscriptions: EventsContract["subscriptions"];
  readonly manifest: EventsContract["manifest"];

  private readonly topics = new Map<string, StreamResources>();
  private readonly subs = new Map<string, { resource: PubsubSubscription; stream: string }>();
  private readonly grants = new GrantLedger();

  constructor(scope: Construct, id: string, props: GcpEventsProps) {
    super(scope, id);
    const { names, domain, delivery } = props;
    const labels = props.labels ? { ...props.labels } : undefined;
    const retention = `${delivery.retentionHours * 3600}s`;
    const serviceAgent = `serviceAccount:service-${props.projectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`;
    const named = eventNames(names.resource(), domain);
    const messageStoragePolicy = props.region ? { allowedPersistenceRegions: [props.region] } : undefined;
    const apis = enableApis(this, props.projectId, ["pubsub.googleapis.com"]);

    const streams: Record<string, { topic: string; deadLetterTopic: string }> = {};
    const subscriptions: Record<string, EventsContract["subscriptions"][string]> = {};

    for (const stream of domain.streams) {
      const { topic: topicName, deadLetterTopic: deadLetterName } = named.streams[stream.name]!;
      const topic = new PubsubTopic(this, `${stream.name}-topic`, { name: topicName, project: props.projectId, labels, messageRetentionDuration: retention, messageStoragePolicy, dependsOn: apis });
      const deadLetter = new PubsubTopic(this, `${stream.name}-dlq`, { name: deadLetterName, project: props.projectId, labels, messageRetentionDuration: retention, messageStoragePolicy, dependsOn: apis });
      // Without a subscription, messages published to the dead-letter topic would be dropped;
      // the runtime's takeDeadLetters() reads this one.
      const deadLetterSubscription = new PubsubSubscription(this, `${stream.name}-dlq-sub`, {
        name: deadLetterReaderSubscription(deadLetterName),
        project: props.projectId,
        topic: deadLetter.id,
        labels,
        ackDeadlineSeconds: delivery.ackDeadlineSeconds,
        messageRetentionDuration: "604800s",
        retainAckedMessages: false,
        expirationPolicy: { ttl: "" },
      });
      // The Pub/Sub service agent forwards undeliverable messages to the dead-letter topic.
      new PubsubTopicIamMember(this, `${stream.name}-dlq-agent-publisher`, { project: props.projectId, topic: deadLetter.name, role: "roles/pubsub.publisher", member: serviceAgent });
      this.topics.set(stream.name, { topic, deadLetter, deadLetterSubscription });
      streams[stream.name] = { topic: topicName, deadLetterTopic: deadLetterName };

      for (const subscriptionName of Object.keys(stream.consumers)) {
        const name = named.subscriptions[subscriptionName]!.subscription;
        const resource = new PubsubSubscription(this, `${subscriptionName}-sub`, {
          name,
          project: props.projectId,
          topic: topic.id,
          labels,
          ackDeadlineSeconds: delivery.ackDeadlineSeconds,
          messageRetentionDuration: retention,
          enableMessageOrdering: true,
          expirationPolicy: { ttl: "" },
          retryPolicy: { minimumBackoff: `${delivery.minBackoffSeconds}s`, maximumBackoff: `${delivery.maxBackoffSeconds}s` },
          deadLetterPolicy: { deadLetterTopic: deadLetter.id, maxDeliveryAttempts: delivery.maxDeliveryAttempts },
        });
        new PubsubSubscriptionIamMember(this, `${subscriptionName}-agent-subscriber`, { project: props.projectId, subscription: resource.name, role: "roles/pubsub.subscriber", member: serviceAgent });
        this.subs.set(subscriptionName, { resource, stream: stream.name });
        subscriptions[subscriptionName] = { stream: stream.name, subscription: name, maxDeliveryAttempts: delivery.maxDeliveryAttempts, ackDeadlineSeconds: delivery.ackDeadlineSeconds };
      }
    }

    this.streams = streams;
    this.subscriptions = subscriptions;
    this.manifest = { kind: "pubsub", projectId: props.projectId, streams, subscriptions };
  }

  grantPublish(stream: string, identity: Identity): void {
    const resources = this.topics.get(stream);
    if (!resources) throw unknownStream(stream, [...this.topics.keys()]);
    this.grants.once(`${stream}-publish-${identity.name}`, () =>
      new PubsubTopicIamMember(this, `${stream}-publisher-${identity.name}`, { project: resources.topic.project, topic: resources.topic.name, role: "roles/pubsub.publisher", member: iamMember(identity) }),
    );
  }

  grantSubscribe(subscription: string, identity: Identity): void {
    const sub = this.subs.get(subscription);
    if (!sub) throw unknownSubscription(subscription, [...this.subs.keys()]);
    const resources = this.topics.get(sub.stream)!;
    this.grants.once(`${subscription}-subscribe-${identity.name}`, () =>
      new PubsubSubscriptionIamMember(this, `${subscription}-subscriber-${identity.name}`, { project: sub.resource.project, subscription: sub.resource.name, role: "roles/pubsub.subscriber", member: iamMember(identity) }),
    );
    // The runtime reads the subscription's metadata before it pulls (pubsub.subscriptions.get is not in the subscriber role).
    this.grants.once(`${subscription}-inspect-${identity.name}`, () =>
      new PubsubSubscriptionIamMember(this, `${subscription}-viewer-${identity.name}`, { project: sub.resource.project, subscription: sub.resource.name, role: "roles/pubsub.viewer", member: iamMember(identity) }),
    );
    this.grants.once(`${sub.stream}-dlq-read-${identity.name}`, () =>
      new PubsubSubscriptionIamMember(this, `${sub.stream}-dlq-subscriber-${identity.name}`, { project: resources.deadLetterSubscription.project, subscription: resources.deadLetterSubscription.name, role: "roles/pubsub.subscriber", member: iamMember(identity) }),
    );
  }

  /** Lets `identity` read the topics' metadata, nothing else (the runtime's readiness check: pubsub.topics.get). */
  grantInspect(identity: Identity): void {
    for (const [stream, resources] of this.topics) {
      this.grants.once(`${stream}-inspect-${identity.name}`, () =>
        new PubsubTopicIamMember(this, `${stream}-viewer-${identity.name}`, { project: resources.topic.project, topic: resources.topic.name, role: "roles/pubsub.viewer", member: iamMember(identity) }),
      );
    }
  }
}
