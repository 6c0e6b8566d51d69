import { DOMAIN } from "../../constructs/domain";
import { ALLOWS_ANNOTATION } from "../../constructs/core/kube-workload";
import { named, ofKind, portableStacks } from "./portable-fixture";

const dev = portableStacks("dev");
const policies = [...ofKind(dev.platformObjects, "NetworkPolicy"), ...ofKind(dev.objects, "NetworkPolicy")];
const selected = (p: any): string[] => p.spec.podSelector.matchExpressions?.[0]?.values ?? [];
const usersOf = (use: string) => Object.entries(DOMAIN.dataAccess).filter(([, uses]) => uses.some((u) => (use === "read" ? u === "read" || u === "project" : u === use))).map(([w]) => w).sort();
const eventUsers = [...new Set(DOMAIN.streams.flatMap((s) => [...s.publishers, ...Object.values(s.consumers)]))];

describe("portable network policies", () => {
  test("given the workloads' namespace, when synthesized, then a namespace-wide default deny of ingress and egress sits next to it in the platform stack", () => {
    const deny = named(dev.platformObjects, "NetworkPolicy", "default-deny");
    expect(deny.metadata.namespace).toBe("hexproperty-dev");
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  test("given every allow rule, when synthesized, then it says which catalog entry or platform need it follows from", () => {
    for (const p of policies.filter((p) => p.metadata.name !== "default-deny")) {
      const allows = p.metadata.annotations?.[ALLOWS_ANNOTATION] ?? "";
      expect(allows).toMatch(/^(catalog|platform|telemetry): /);
    }
  });

  test("given the catalog's data uses, when synthesized, then each store's clients (ingress and egress) are exactly the workloads granted that use", () => {
    for (const [store, use] of [["write", "write"], ["read", "read"], ["cache", "cache"]] as const) {
      const ingress = named(dev.objects, "NetworkPolicy", `hexproperty-dev-${store}-access`);
      expect(selected({ spec: { podSelector: ingress.spec.ingress[1].from[0].podSelector } })).toEqual(usersOf(use));
      expect(selected(named(dev.objects, "NetworkPolicy", `hexproperty-dev-${store}-access-egress`))).toEqual(usersOf(use));
    }
  });

  test("given the catalog's streams, when synthesized, then exactly the publishers and consumers reach Kafka's TLS listener", () => {
    const egress = named(dev.objects, "NetworkPolicy", "hexproperty-dev-clients-to-kafka");
    // A workload on the bus also checks it in /readyz (grantInspect); one on no stream (search) is no Kafka client at all.
    expect(selected(egress)).toEqual([...eventUsers].sort());
    expect(selected({ spec: { podSelector: named(dev.objects, "NetworkPolicy", "hexproperty-dev-kafka-from-clients").spec.ingress[0].from[0].podSelector } })).toEqual([...eventUsers].sort());
    expect(egress.spec.egress[0].ports).toEqual([{ port: 9093, protocol: "TCP" }]);
  });

  test("given the gateway, when synthesized, then only the microservices admit it, on the service port", () => {
    const fromGateway = policies.filter((p) => p.metadata.name.endsWith("-from-gateway"));
    expect(fromGateway.map((p) => p.spec.podSelector.matchLabels["app.kubernetes.io/name"]).sort()).toEqual([...DOMAIN.microservices].sort());
    for (const p of fromGateway) expect(p.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "hexproperty-dev-edge" } } }], ports: [{ port: 8080, protocol: "TCP" }] }]);
  });

  test("given DNS and the mesh, when synthesized, then every pod may resolve names and reach istiod, and nothing else namespace-wide", () => {
    const wide = policies.filter((p) => p.metadata.namespace === "hexproperty-dev").filter((p) => Object.keys(p.spec.podSelector.matchLabels ?? {}).length === 0 && !p.spec.podSelector.matchExpressions);
    expect(wide.map((p) => p.metadata.name).sort()).toEqual(["allow-dns", "allow-istiod", "default-deny"]);
  });
});
