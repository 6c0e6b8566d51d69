import { withoutInterpolations } from "../support/interpolation";
import { environment, ofType, synthAll } from "../support/synth";

const stack = synthAll([environment("staging")])["hexproperty-staging"]!;
const projector = ofType(stack, "google_cloud_run_v2_service").find((s) => s.name === "hexproperty-staging-projector")! as Record<string, any>;

describe("gcp application (the projector as a Cloud Run worker pulling its subscriptions)", () => {
  test("given the projector, when synthesized, then it runs as its own service account with CPU always allocated and at least one instance", () => {
    expect(projector.template.service_account).toMatch(/^\$\{google_service_account\.application_projector-sa_[0-9A-F]+\.email\}$/);
    expect(projector.template.containers[0].resources.cpu_idle).toBe(false);
    expect(projector.template.scaling).toEqual({ min_instance_count: 1, max_instance_count: 3 });
  });

  test("given nothing calls a processor, when synthesized, then its ingress is internal and no one holds run.invoker on it", () => {
    expect(projector.ingress).toBe("INGRESS_TRAFFIC_INTERNAL_ONLY");
    expect(ofType(stack, "google_cloud_run_v2_service_iam_member").filter((i) => String(i.name).includes("application_projector"))).toEqual([]);
  });

  test("given the event layer's subscriptions, when synthesized, then the projector's manifest names them with their delivery attempts, and it may pull them and their dead letters", () => {
    const manifest = JSON.parse(withoutInterpolations(projector.template.containers[0].env.find((e: { name: string }) => e.name === "HEXPROPERTY_MANIFEST").value)) as Record<string, any>;
    expect(manifest.eventBus.subscriptions["projector-property"]).toEqual({ stream: "property", subscription: "hexproperty-staging-projector-property", maxDeliveryAttempts: 5, ackDeadlineSeconds: 30 });
    const mine = ofType(stack, "google_pubsub_subscription_iam_member").filter((m) => String(m.member).includes("application_projector-sa") && m.role === "roles/pubsub.subscriber");
    expect(mine.map((m) => String(m.subscription).replace(/_[0-9A-F]+\.name\}$/, "}")).sort()).toEqual([
      "${google_pubsub_subscription.events_leasing-dlq-sub}",
      "${google_pubsub_subscription.events_projector-leasing-sub}",
      "${google_pubsub_subscription.events_projector-property-sub}",
      "${google_pubsub_subscription.events_property-dlq-sub}",
    ]);
    const sub = ofType(stack, "google_pubsub_subscription").find((s) => s.name === "hexproperty-staging-projector-property")!;
    expect(sub).toMatchObject({ retry_policy: { minimum_backoff: "5s", maximum_backoff: "300s" }, dead_letter_policy: { max_delivery_attempts: 5 } });
  });

  test("given a processor configured to scale to zero, when synthesized, then a named error says a pull worker needs an instance", () => {
    expect(() => synthAll([environment("staging", { services: { projector: { minInstances: 0 } } })])).toThrow('workload "projector": minInstances 0 is not possible on Cloud Run; a processor pulls its subscriptions, so at least 1 instance must run');
  });
});
