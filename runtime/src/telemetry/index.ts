/**
 * Telemetry: structured logs (see ./logger), OpenTelemetry traces and
 * metrics. Spans are always created (so logs carry trace ids and the W3C
 * traceparent travels through event attributes); they are exported over
 * OTLP/HTTP only when manifest.telemetry.otlpEndpoint is set.
 *
 * The active context is kept in this instance's own AsyncLocalStorage: no
 * global OpenTelemetry registration, so several runtimes can share a process.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Span, type TextMapGetter, type TextMapSetter } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from "@opentelemetry/sdk-metrics";
import type { Counter, Histogram, Meter } from "@opentelemetry/api";
import type { TelemetryManifest } from "../manifest/schema";
import type { Logger, Telemetry } from "../ports";
import { createLogger, type TraceRef } from "./logger";

export { createLogger } from "./logger";
export type { LoggerSettings, TraceRef } from "./logger";

export interface TelemetryOptions {
  /** service.name of traces and metrics, and the log field "service". @default "hexproperty" */
  readonly serviceName?: string;
  /** GCP project for Cloud Logging trace names. @default env GOOGLE_CLOUD_PROJECT */
  readonly projectId?: string;
  /** Where log lines go. @default process.stdout */
  readonly sink?: (line: string) => void;
  /** Extra span exporter (tests: InMemorySpanExporter). */
  readonly spanExporter?: SpanExporter;
  /** Extra metric reader (tests). */
  readonly metricReader?: MetricReader;
  /** Metric export interval with an OTLP endpoint. @default 60 s */
  readonly metricIntervalMs?: number;
}

const setter: TextMapSetter<Record<string, string>> = { set: (c, k, v) => void (c[k] = v) };
const getter: TextMapGetter<Readonly<Record<string, string>>> = { get: (c, k) => c[k], keys: (c) => Object.keys(c) };

export class OtelTelemetry implements Telemetry {
  private readonly als = new AsyncLocalStorage<Context>();
  private readonly propagator = new W3CTraceContextPropagator();
  private readonly tracerProvider: BasicTracerProvider;
  private readonly meterProvider: MeterProvider;
  private readonly meter: Meter;
  private readonly counters = new Map<string, Counter>();
  private readonly histograms = new Map<string, Histogram>();
  private closed = false;

  constructor(
    private readonly settings: TelemetryManifest,
    private readonly options: TelemetryOptions = {},
  ) {
    const resource = resourceFromAttributes({ "service.name": options.serviceName ?? "hexproperty" });
    const spanProcessors: SpanProcessor[] = [];
    if (settings.otlpEndpoint) {
      const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-http") as typeof import("@opentelemetry/exporter-trace-otlp-http");
      spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: joinUrl(settings.otlpEndpoint, "v1/traces") })));
    }
    if (options.spanExporter) {
      const { SimpleSpanProcessor } = require("@opentelemetry/sdk-trace-base") as typeof import("@opentelemetry/sdk-trace-base");
      spanProcessors.push(new SimpleSpanProcessor(options.spanExporter));
    }
    this.tracerProvider = new BasicTracerProvider({
      resource,
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.traceSampleRatio) }),
      spanProcessors,
    });
    const readers: MetricReader[] = [];
    if (settings.otlpEndpoint) {
      const { OTLPMetricExporter } = require("@opentelemetry/exporter-metrics-otlp-http") as typeof import("@opentelemetry/exporter-metrics-otlp-http");
      readers.push(new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: joinUrl(settings.otlpEndpoint, "v1/metrics") }), exportIntervalMillis: options.metricIntervalMs ?? 60_000 }));
    }
    if (options.metricReader) readers.push(options.metricReader);
    this.meterProvider = new MeterProvider({ resource, readers });
    this.meter = this.meterProvider.getMeter("hexproperty-runtime");
  }

  private active(): Context {
    return this.als.getStore() ?? ROOT_CONTEXT;
  }

  private activeTrace(): TraceRef | undefined {
    const sc = trace.getSpanContext(this.active());
    if (!sc || !trace.isSpanContextValid(sc)) return undefined;
    return { traceId: sc.traceId, spanId: sc.spanId, sampled: (sc.traceFlags & 1) === 1 };
  }

  logger(component: string): Logger {
    const projectId = this.options.projectId ?? process.env.GOOGLE_CLOUD_PROJECT;
    return createLogger({
      format: this.settings.logFormat,
      level: this.settings.logLevel,
      component,
      ...(projectId ? { projectId } : {}),
      sink: this.options.sink ?? ((line) => void process.stdout.write(line + "\n")),
      activeTrace: () => this.activeTrace(),
    });
  }

  span<T>(name: string, fn: () => Promise<T>, attributes?: Record<string, string | number | boolean>): Promise<T> {
    return this.runSpan(name, this.active(), fn, attributes);
  }

  private async runSpan<T>(name: string, parent: Context, fn: () => Promise<T>, attributes?: Record<string, string | number | boolean>): Promise<T> {
    const tracer = this.tracerProvider.getTracer("hexproperty-runtime");
    const span: Span = tracer.startSpan(name, attributes ? { attributes } : {}, parent);
    const ctx = trace.setSpan(parent, span);
    try {
      const result = await this.als.run(ctx, fn);
      span.setStatus({ code: SpanStatusCode.OK });
      return result;
    } catch (e) {
      span.recordException(e instanceof Error ? e : String(e));
      span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
      throw e;
    } finally {
      span.end();
    }
  }

  inject(attributes: Record<string, string>): Record<string, string> {
    const out = { ...attributes };
    this.propagator.inject(this.active(), out, setter);
    return out;
  }

  withExtracted<T>(attributes: Readonly<Record<string, string>>, name: string, fn: () => Promise<T>): Promise<T> {
    const parent = this.propagator.extract(ROOT_CONTEXT, attributes, getter);
    return this.runSpan(name, parent, fn);
  }

  counter(name: string, value = 1, attributes?: Record<string, string>): void {
    const full = `${this.settings.metricPrefix}_${name}`;
    let c = this.counters.get(full);
    if (!c) this.counters.set(full, (c = this.meter.createCounter(full)));
    c.add(value, attributes);
  }

  histogram(name: string, value: number, attributes?: Record<string, string>): void {
    const full = `${this.settings.metricPrefix}_${name}`;
    let h = this.histograms.get(full);
    if (!h) this.histograms.set(full, (h = this.meter.createHistogram(full)));
    h.record(value, attributes);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.tracerProvider.shutdown(), this.meterProvider.shutdown()]);
  }
}

function joinUrl(base: string, path: string): string {
  return base.endsWith(`/${path}`) ? base : `${base.replace(/\/+$/, "")}/${path}`;
}

export function createTelemetry(manifest: TelemetryManifest, options: TelemetryOptions = {}): OtelTelemetry {
  return new OtelTelemetry(manifest, options);
}
