import { DOMAIN } from "../../constructs/domain";
import { named, portableStacks } from "./portable-fixture";

const dev = portableStacks("dev");
const prod = portableStacks("prod");

describe("portable application layer (event processors)", () => {
  test("given the projector, when synthesized, then it runs as its own event-processor workload sized from services.projector", () => {
    for (const p of DOMAIN.processors) {
      const d = named(prod.objects, "Deployment", p);
      expect(d.metadata.labels!["app.kubernetes.io/component"]).toBe("event-processor");
      expect(d.spec.template.spec.serviceAccountName).toBe(p);
      expect(d.spec.template.spec.containers[0].resources.limits).toEqual({ cpu: "1", memory: "1Gi" });
      expect(named(prod.objects, "HorizontalPodAutoscaler", p).spec).toMatchObject({ minReplicas: 1, maxReplicas: 20 });
    }
  });

  test("given nothing calls a processor, when synthesized, then no gateway rule admits it and the mesh denies every call to it", () => {
    expect(dev.objects.some((o) => o.kind === "NetworkPolicy" && o.metadata.name === "projector-from-gateway")).toBe(false);
    expect(named(dev.objects, "AuthorizationPolicy", "projector-no-callers").spec.rules).toBeUndefined();
  });

  test("given its subscriptions, when synthesized, then its KafkaUser holds exactly the consumer ACLs and the readiness Describe", () => {
    const acls = named(dev.objects, "KafkaUser", "projector").spec.authorization.acls;
    const groups = acls.filter((a: any) => a.resource.type === "group").map((a: any) => a.resource.name).sort();
    expect(groups).toEqual(["hexproperty-dev-projector-leasing", "hexproperty-dev-projector-property"]);
    for (const a of acls) expect(a.operations).not.toContain("All");
  });
});
