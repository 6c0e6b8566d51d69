import { environment, synthAll } from "../support/synth";

describe("gcp service mesh", () => {
  const stack = synthAll([environment("staging")])["hexproperty-staging"]!;

  test("given Cloud Run services, when synthesized, then the service_mesh output claims no mTLS and names the enforcement that exists: IAM invocation", () => {
    const value = (stack.output!.service_mesh!.value as { name: string; mtls: string; enforcement: string });
    expect(value).toMatchObject({ name: "hexproperty-staging-mesh", mtls: "NOT_ENFORCED" });
    expect(value.enforcement).toMatch(/authenticated invocation/);
    expect(value.enforcement).toMatch(/roles\/run\.invoker/);
  });

  test("given the mesh claims IAM invocation, when synthesized, then no Cloud Run service disables invoker IAM", () => {
    const services = Object.values(stack.resource!.google_cloud_run_v2_service!);
    expect(services.length).toBe(4);
    for (const s of services) expect(s.invoker_iam_disabled).toBe(false);
  });
});
