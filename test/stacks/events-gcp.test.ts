import { Testing } from "cdktf";
import { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic";
import { PubsubSubscription } from "@cdktf/provider-google/lib/pubsub-subscription";
import { PubsubTopicIamMember } from "@cdktf/provider-google/lib/pubsub-topic-iam-member";
import { PubsubSubscriptionIamMember } from "@cdktf/provider-google/lib/pubsub-subscription-iam-member";
import { GcpEvents, eventsLayer } from "../../constructs/events";
import { DOMAIN } from "../../constructs/domain";
import { contextFor, environment, ofType } from "../support/synth";

const staging = environment("staging");
const publisher = { kind: "gcp-service-account", name: "property", email: "hp-staging-property@hexproperty-staging.iam.gserviceaccount.com" } as const;
const consumer = { kind: "gcp-service-account", name: "projector", email: "hp-staging-projector@hexproperty-staging.iam.gserviceaccount.com" } as const;

function synth(build?: (events: GcpEvents) => void): string {
  return Testing.synthScope((scope) => {
    const events = eventsLayer(contextFor(scope, staging), DOMAIN) as GcpEvents;
    build?.(events);
  });
}

describe("gcp event layer (Pub/Sub)", () => {
  test("given the domain catalog, when synthesized, then each stream has a topic with the configured retention", () => {
    expect(synth()).toHaveResourceWithProperties(PubsubTopic, { name: "hexproperty-staging-property-events", project: "hexproperty-staging", message_retention_duration: "259200s" });
  });

  test("given a stream, when synthesized, then its dead-letter topic exists and has a subscription so dead letters are kept", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(PubsubTopic, { name: "hexproperty-staging-leasing-events-dlq" });
    expect(out).toHaveResourceWithProperties(PubsubSubscription, { name: "hexproperty-staging-leasing-events-dlq-reader" });
  });

  test("given a consumer, when synthesized, then its subscription has ordering, the retry policy and the dead-letter policy from config", () => {
    expect(synth()).toHaveResourceWithProperties(PubsubSubscription, {
      name: "hexproperty-staging-projector-property",
      enable_message_ordering: true,
      ack_deadline_seconds: 30,
      retry_policy: { minimum_backoff: "5s", maximum_backoff: "300s" },
    });
    const sub = ofType(JSON.parse(synth()), "google_pubsub_subscription").find((r) => r.name === "hexproperty-staging-projector-property")!;
    expect(sub.dead_letter_policy).toEqual({ max_delivery_attempts: 5, dead_letter_topic: expect.stringMatching(/^\$\{google_pubsub_topic\.events_property-dlq_[0-9A-F]+\.id\}$/) });
  });

  test("given dead-lettering, when synthesized, then the Pub/Sub service agent may publish to the dead-letter topic and pull from the subscription", () => {
    const out = synth();
    const agent = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";
    expect(out).toHaveResourceWithProperties(PubsubTopicIamMember, { role: "roles/pubsub.publisher", member: agent });
    expect(out).toHaveResourceWithProperties(PubsubSubscriptionIamMember, { role: "roles/pubsub.subscriber", member: agent });
  });

  test("given grantPublish, when synthesized, then the identity is publisher on that topic only", () => {
    const out = JSON.parse(synth((e) => e.grantPublish("property", publisher)));
    const mine = ofType(out, "google_pubsub_topic_iam_member").filter((m) => m.member === `serviceAccount:${publisher.email}`);
    expect(mine).toEqual([expect.objectContaining({ role: "roles/pubsub.publisher", topic: expect.stringMatching(/^\$\{google_pubsub_topic\.events_property-topic_[0-9A-F]+\.name\}$/) })]);
  });

  test("given grantSubscribe, when synthesized, then the identity is subscriber on its subscription and on the dead-letter inspection subscription", () => {
    const out = JSON.parse(synth((e) => e.grantSubscribe("projector-property", consumer)));
    const members = ofType(out, "google_pubsub_subscription_iam_member").filter((m) => m.member === `serviceAccount:${consumer.email}` && m.role === "roles/pubsub.subscriber");
    expect(members.map((m) => String(m.subscription).replace(/_[0-9A-F]+\.name\}$/, "}")).sort()).toEqual([
      "${google_pubsub_subscription.events_projector-property-sub}",
      "${google_pubsub_subscription.events_property-dlq-sub}",
    ]);
    expect(members.every((m) => m.role === "roles/pubsub.subscriber")).toBe(true);
    const viewer = ofType(out, "google_pubsub_subscription_iam_member").filter((m) => m.member === `serviceAccount:${consumer.email}` && m.role === "roles/pubsub.viewer");
    expect(viewer.map((m) => String(m.subscription).replace(/_[0-9A-F]+\.name\}$/, "}"))).toEqual(["${google_pubsub_subscription.events_projector-property-sub}"]);
  });

  test("given the same grant twice, when synthesized, then one binding is created", () => {
    const out = JSON.parse(synth((e) => { e.grantPublish("property", publisher); e.grantPublish("property", publisher); }));
    expect(ofType(out, "google_pubsub_topic_iam_member").filter((m) => m.member === `serviceAccount:${publisher.email}`)).toHaveLength(1);
  });

  test("given an unknown stream, when granting, then the error names it and lists the known streams", () => {
    expect(() => synth((e) => e.grantPublish("billing", publisher))).toThrow('unknown event stream "billing"; streams of this environment: property, leasing');
  });

  test("given a portable identity, when granting on gcp, then a clear error says so", () => {
    expect(() => synth((e) => e.grantPublish("property", { kind: "kubernetes-service-account", name: "property", namespace: "x" }))).toThrow(/is a kubernetes-service-account; this grant needs a gcp-service-account/);
  });

  test("given the layer, when asked for its contract, then the manifest section names every topic and subscription", () => {
    let events!: GcpEvents;
    Testing.synthScope((scope) => { events = eventsLayer(contextFor(scope, staging), DOMAIN) as GcpEvents; });
    expect(events.manifest).toEqual({
      kind: "pubsub",
      projectId: "hexproperty-staging",
      streams: {
        property: { topic: "hexproperty-staging-property-events", deadLetterTopic: "hexproperty-staging-property-events-dlq" },
        leasing: { topic: "hexproperty-staging-leasing-events", deadLetterTopic: "hexproperty-staging-leasing-events-dlq" },
      },
      subscriptions: {
        "projector-property": { stream: "property", subscription: "hexproperty-staging-projector-property", maxDeliveryAttempts: 5, ackDeadlineSeconds: 30 },
        "projector-leasing": { stream: "leasing", subscription: "hexproperty-staging-projector-leasing", maxDeliveryAttempts: 5, ackDeadlineSeconds: 30 },
      },
    });
  });
});
