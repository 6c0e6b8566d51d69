import { DOMAIN } from "../../constructs/domain";
import { environment, kubeObjects, synthAll } from "../support/synth";
import { named, ofKind, portableStacks } from "./portable-fixture";

const dev = portableStacks("dev");

describe("portable support layer", () => {
  test("given every workload, when synthesized, then a ServiceMonitor scrapes its Envoy metrics", () => {
    for (const w of [...DOMAIN.microservices, ...DOMAIN.processors]) {
      expect(named(dev.objects, "ServiceMonitor", w).spec).toEqual({ selector: { matchLabels: { "app.kubernetes.io/name": w } }, endpoints: [{ port: "http-envoy-prom", path: "/stats/prometheus", interval: "30s" }] });
    }
  });

  test("given the gcp alerts, when synthesized, then PrometheusRules cover 5xx ratio and p99 latency per service, lag per consumer group, and dead-letter growth per stream", () => {
    const alerts: string[] = named(dev.objects, "PrometheusRule", "hexproperty-alerts").spec.groups[0].rules.map((r: any) => r.alert);
    for (const s of DOMAIN.microservices) expect(alerts).toEqual(expect.arrayContaining([`${s}-5xx-ratio`, `${s}-p99-latency`]));
    expect(alerts).toEqual(expect.arrayContaining(["hexproperty-dev-projector-property-consumer-lag", "hexproperty-dev-property-events-dlq-growth", "hexproperty-dev-leasing-events-dlq-growth"]));
    expect(named(dev.objects, "Kafka", "hexproperty-dev-kafka").spec.kafkaExporter).toMatchObject({ groupRegex: ".*" });
  });

  test("given portable.alerting, when synthesized, then the PrometheusRules use its thresholds (the gcp alerting names)", () => {
    const env = environment("prod", { stack: "portable", portable: { alerting: { errorRatioPercent: 2.5, p99LatencyMs: 750, consumerLagMessages: 4321 } } });
    const objects = kubeObjects(synthAll([env])["hexproperty-prod"]!);
    const rules: any[] = named(objects, "PrometheusRule", "hexproperty-alerts").spec.groups[0].rules;
    const rule = (alert: string) => rules.find((r) => r.alert === alert);
    expect(rule("property-5xx-ratio").expr).toMatch(/ > 0\.025$/);
    expect(rule("search-p99-latency").expr).toMatch(/ > 750$/);
    expect(rule("hexproperty-prod-projector-property-consumer-lag").expr).toMatch(/ > 4321$/);
  });

  test("given telemetry.logRetentionDays, when synthesized, then Filebeat loads an ILM policy that deletes log indices after that many days", () => {
    const ilm = named(dev.objects, "ConfigMap", "filebeat-ilm");
    expect(ilm.metadata.namespace).toBe("hexproperty-dev-logging");
    expect(JSON.parse(ilm.data["policy.json"]).policy.phases.delete).toEqual({ min_age: "30d", actions: { delete: {} } });
    const beat = named(dev.objects, "Beat", "filebeat").spec;
    expect(beat.config).toMatchObject({ "setup.ilm.enabled": true, "setup.ilm.overwrite": true, "setup.ilm.policy_file": "/usr/share/filebeat/ilm/policy.json" });
    const pod = beat.daemonSet.podTemplate.spec;
    expect(pod.volumes).toContainEqual({ name: "ilm", configMap: { name: "filebeat-ilm" } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "ilm", mountPath: "/usr/share/filebeat/ilm", readOnly: true });
    const prod = kubeObjects(synthAll([environment("prod", { stack: "portable", telemetry: { logRetentionDays: 90 } })])["hexproperty-prod"]!);
    expect(JSON.parse(named(prod, "ConfigMap", "filebeat-ilm").data["policy.json"]).policy.phases.delete.min_age).toBe("90d");
  });

  test("given the telemetry pipeline, when synthesized, then the runtime sends OTLP to the collector, which exports traces to Jaeger", () => {
    const telemetry = (dev.main as any).output.runtime_manifest.value.telemetry;
    expect(telemetry).toMatchObject({ otlpEndpoint: "http://otel-collector.hexproperty-dev.svc:4318", traceBackend: "jaeger" });
    const config = JSON.parse(named(dev.objects, "ConfigMap", "otel-collector").data["config.yaml"]);
    expect(config.exporters["otlp/jaeger"].endpoint).toBe("jaeger.hexproperty-dev.svc:4317");
    expect(ofKind(dev.objects, "Deployment").map((d) => d.metadata.name)).toEqual(expect.arrayContaining(["otel-collector", "jaeger"]));
  });

  test("given portable.logs, when synthesized, then ECK runs Elasticsearch and Kibana sized from it and Filebeat ships to it by reference", () => {
    expect(named(dev.objects, "Elasticsearch", "hexproperty-dev-logs").spec.nodeSets[0]).toMatchObject({
      config: { "node.store.allow_mmap": false },
      podTemplate: { spec: { containers: [{ name: "elasticsearch", resources: { limits: { cpu: "1", memory: "2Gi" } } }] } },
      volumeClaimTemplates: [{ spec: { resources: { requests: { storage: "10Gi" } } } }],
    });
    expect(named(dev.objects, "Kibana", "hexproperty-dev-logs").spec.elasticsearchRef).toEqual({ name: "hexproperty-dev-logs" });
    expect(named(dev.objects, "Beat", "filebeat")).toMatchObject({ metadata: { namespace: "hexproperty-dev-logging" }, spec: { type: "filebeat", elasticsearchRef: { name: "hexproperty-dev-logs", namespace: "hexproperty-dev" } } });
    const ns = named(dev.platformObjects, "Namespace", "hexproperty-dev-logging");
    expect(ns.metadata.labels!["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(dev.platformObjects.some((o) => o.kind === "NetworkPolicy" && o.metadata.namespace === "hexproperty-dev-logging" && o.metadata.name === "default-deny")).toBe(true);
  });
});
