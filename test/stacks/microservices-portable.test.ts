import { DOMAIN } from "../../constructs/domain";
import { MANIFEST_FILE } from "../../constructs/core/kube-workload";
import { environment } from "../support/synth";
import { named, ofKind, portableStacks } from "./portable-fixture";
import { injectIstioSidecar, restrictedViolations } from "./pod-security";

const dev = portableStacks("dev");
const prod = portableStacks("prod");
const workloads = [...DOMAIN.microservices, ...DOMAIN.processors];
const containersOf = (d: any): any[] => [...(d.spec.template.spec.initContainers ?? []), ...d.spec.template.spec.containers];

describe("portable microservices and processors", () => {
  test("given dev, when synthesized, then every workload has a Deployment, Service, HPA, PDB, ServiceAccount and manifest ConfigMap", () => {
    for (const w of workloads) {
      for (const kind of ["Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceAccount"]) expect(named(dev.objects, kind, w).metadata.namespace).toBe("hexproperty-dev");
      expect(named(dev.objects, "ConfigMap", `${w}-manifest`)).toBeDefined();
    }
  });

  test("given any portable environment, when synthesized, then every container has requests and limits from services.<name> and the restricted security context", () => {
    for (const { objects } of [dev, prod]) {
      for (const d of ofKind(objects, "Deployment")) {
        const pod = d.spec.template.spec;
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
        for (const c of containersOf(d)) {
          expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
          expect(c.resources.limits).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
          expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
        }
      }
    }
    const search = named(prod.objects, "Deployment", "search").spec.template.spec.containers[0];
    expect(search.resources).toEqual({ requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "2", memory: "1Gi" } });
  });

  test("given minInstances 0 on the portable stack, when validated, then one line names the key, the value and what is allowed (an HPA cannot scale to zero)", () => {
    expect(() => environment("staging", { stack: "portable" })).toThrow('invalid environment "staging": services.property.minInstances = 0 is not allowed; expected a number >= 1 when stack is "portable" (a HorizontalPodAutoscaler cannot scale to zero without the HPAScaleToZero feature gate)');
    expect(() => environment("dev", { services: { search: { minInstances: 0 } } })).toThrow(/services\.search\.minInstances = 0 is not allowed; expected a number >= 1 when stack is "portable"/);
    expect(() => environment("dev", { stack: "gcp", services: { search: { minInstances: 0 } } })).not.toThrow();
  });

  test("given the config's scaling, when synthesized, then the HPA bounds are exactly the configured ones and the Deployment leaves replicas to it", () => {
    expect(named(prod.objects, "HorizontalPodAutoscaler", "search").spec).toMatchObject({ minReplicas: 3, maxReplicas: 100, scaleTargetRef: { kind: "Deployment", name: "search" } });
    expect(named(dev.objects, "HorizontalPodAutoscaler", "property").spec).toMatchObject({ minReplicas: 1, maxReplicas: 2 });
    for (const w of workloads) expect(named(dev.objects, "Deployment", w).spec.replicas).toBeUndefined();
    for (const p of ofKind(dev.objects, "PodDisruptionBudget")) expect(p.spec.maxUnavailable).toBe(1);
  });

  test("given portable.images, when synthesized, then each workload runs its configured image, never latest", () => {
    const images = environment("dev").stack === "portable" ? (environment("dev") as any).portable.images : {};
    for (const w of workloads) expect(named(dev.objects, "Deployment", w).spec.template.spec.containers[0].image).toBe(images[w]);
    for (const d of ofKind(prod.objects, "Deployment").filter((d) => workloads.includes(d.metadata.name))) expect(d.spec.template.spec.containers[0].image).toMatch(/@sha256:[a-f0-9]{64}$/);
    for (const { objects } of [dev, prod]) for (const d of ofKind(objects, "Deployment")) for (const c of containersOf(d)) expect(c.image).not.toMatch(/:latest$|^[^:@]+$/);
  });

  test("given the health routes, when synthesized, then startup and liveness probe /healthz and readiness /readyz on the service port", () => {
    const c = named(dev.objects, "Deployment", "leasing").spec.template.spec.containers[0];
    expect(c.startupProbe.httpGet).toEqual({ path: "/healthz", port: 8080, scheme: "HTTP" });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: 8080, scheme: "HTTP" });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/readyz", port: 8080, scheme: "HTTP" });
  });

  test("given the runtime manifest, when synthesized, then it is mounted from the ConfigMap and named by HEXPROPERTY_MANIFEST_FILE", () => {
    const d = named(dev.objects, "Deployment", "property").spec.template.spec;
    expect(d.volumes).toContainEqual({ name: "manifest", configMap: { name: "property-manifest" } });
    expect(d.containers[0].env).toContainEqual({ name: "HEXPROPERTY_MANIFEST_FILE", value: MANIFEST_FILE });
    const manifest = JSON.parse(named(dev.objects, "ConfigMap", "property-manifest").data["manifest.json"]);
    expect(manifest).toMatchObject({ stack: "portable", environment: "dev", eventBus: { kind: "kafka" }, writeStore: { kind: "postgres" } });
  });

  test("given the manifest's secret references, when synthesized, then each reaches the container only as a secretKeyRef, never as a value", () => {
    const manifest = JSON.parse(named(dev.objects, "ConfigMap", "projector-manifest").data["manifest.json"]);
    const env: any[] = named(dev.objects, "Deployment", "projector").spec.template.spec.containers[0].env;
    const refs: any[] = [];
    const visit = (n: any): void => { if (n && typeof n === "object") { if (n.kind === "kubernetes-secret") refs.push(n); else Object.values(n).forEach(visit); } };
    visit(manifest);
    expect(refs.length).toBeGreaterThanOrEqual(5);
    for (const ref of refs) expect(env).toContainEqual({ name: ref.env, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } });
    expect(env).toContainEqual({ name: "KAFKA_PASSWORD", valueFrom: { secretKeyRef: { name: "projector", key: "password" } } });
    for (const e of env) if (/PASSWORD|CA$/.test(e.name)) expect(e.value).toBeUndefined();
  });

  test("given a workload's pod template, when Istio injects its sidecar with the CNI node agent, then the pod still satisfies Pod Security restricted", () => {
    for (const w of workloads) {
      const pod = injectIstioSidecar(named(dev.objects, "Deployment", w).spec.template.spec);
      expect(pod.initContainers.map((c: any) => c.name)).toEqual(["istio-validation", "istio-proxy"]);
      expect(restrictedViolations(pod)).toEqual([]);
    }
  });

  test("given the sidecar Istio injects without the CNI agent (NET_ADMIN init container), when checked, then restricted rejects it (control)", () => {
    const pod = injectIstioSidecar(named(dev.objects, "Deployment", "property").spec.template.spec, { cni: false });
    expect(restrictedViolations(pod)).toEqual(expect.arrayContaining([expect.stringContaining("istio-init")]));
  });
});

describe("quantities", () => {
  test("given sizes from config, when rendered, then they are in the API server's canonical form (kubernetes_manifest compares the stored object with the configuration)", () => {
    const { quantities } = require("../../constructs/core/kube-workload") as typeof import("../../constructs/core/kube-workload");
    expect(quantities(0.5, 512)).toEqual({ cpu: "500m", memory: "512Mi" });
    expect(quantities(1, 1024)).toEqual({ cpu: "1", memory: "1Gi" });
    expect(quantities(2, 1536)).toEqual({ cpu: "2", memory: "1536Mi" });
    expect(quantities(0.25, 4096)).toEqual({ cpu: "250m", memory: "4Gi" });
  });
});
