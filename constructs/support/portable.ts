import { Construct } from "constructs";
import { platformScope, type LayerContext } from "../core/context";
import { CHARTS } from "../core/charts";
import { PinnedRelease } from "../core/helm";
import type { SupportContract } from "./contract";

/** kube-prometheus-stack in the platform stack (ECK, Fluent Bit, the OpenTelemetry collector and Jaeger follow in the portable stack issue). */
export class PortableSupport extends Construct implements SupportContract {
  readonly telemetry: SupportContract["telemetry"];

  constructor(scope: Construct, id: string, ctx: LayerContext) {
    super(scope, id);
    const portable = ctx.env.portable!;
    new PinnedRelease(platformScope(ctx, id), "monitoring", {
      pin: CHARTS.kubePrometheusStack,
      name: "monitoring",
      namespace: portable.operatorsNamespace,
      values: { grafana: { adminPassword: null, admin: { existingSecret: "grafana-admin", userKey: "username", passwordKey: "password" } }, prometheus: { prometheusSpec: { serviceMonitorSelectorNilUsesHelmValues: false } } },
    });
    this.telemetry = { logFormat: "json", logLevel: ctx.env.name === "prod" ? "info" : "debug", traceBackend: "none", traceSampleRatio: ctx.env.name === "prod" ? 0.1 : 1, metricPrefix: "hexproperty" };
  }
}
