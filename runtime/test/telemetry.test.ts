import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { createTelemetry } from "../src/telemetry";
import type { TelemetryManifest } from "../src/manifest/schema";

const base: TelemetryManifest = { logFormat: "cloud-logging", logLevel: "info", traceBackend: "none", traceSampleRatio: 1, metricPrefix: "hexproperty" };

function capture(settings: Partial<TelemetryManifest> = {}, projectId?: string) {
  const lines: string[] = [];
  const spans = new InMemorySpanExporter();
  const t = createTelemetry({ ...base, ...settings }, { sink: (l) => lines.push(l), spanExporter: spans, ...(projectId ? { projectId } : {}) });
  return { t, lines, spans };
}

describe("telemetry", () => {
  it("cloud-logging: one JSON line with severity, message, time and the fields", async () => {
    const { t, lines } = capture();
    t.logger("property").warn("rent changed", { unitId: "u-1", cents: 1200 });
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ severity: "WARNING", message: "rent changed", component: "property", unitId: "u-1", cents: 1200 });
    expect(new Date(line.time).toISOString()).toBe(line.time);
    expect(Object.keys(line)).not.toContain("level");
    await t.close();
  });

  it("cloud-logging: maps every level to a Cloud Logging severity and drops lines below logLevel", async () => {
    const { t, lines } = capture({ logLevel: "debug" });
    const log = t.logger("x");
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    expect(lines.map((l) => JSON.parse(l).severity)).toEqual(["DEBUG", "INFO", "WARNING", "ERROR"]);
    const quiet = capture({ logLevel: "warn" });
    quiet.t.logger("x").info("dropped");
    expect(quiet.lines).toHaveLength(0);
    await t.close();
    await quiet.t.close();
  });

  it("cloud-logging: a line written in a span carries logging.googleapis.com/trace and spanId", async () => {
    const { t, lines, spans } = capture({}, "hexproperty-prod");
    await t.span("handle", async () => t.logger("x").info("inside"));
    const line = JSON.parse(lines[0]!);
    const span = spans.getFinishedSpans()[0]!;
    expect(line["logging.googleapis.com/trace"]).toBe(`projects/hexproperty-prod/traces/${span.spanContext().traceId}`);
    expect(line["logging.googleapis.com/spanId"]).toBe(span.spanContext().spanId);
    expect(line["logging.googleapis.com/trace_sampled"]).toBe(true);
    await t.close();
  });

  it("json format uses level/message/time and traceId", async () => {
    const { t, lines } = capture({ logFormat: "json" });
    await t.span("s", async () => t.logger("x").error("boom", { err: new Error("bad") }));
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: "error", message: "boom", err: { name: "Error", message: "bad" } });
    expect(line.traceId).toMatch(/^[0-9a-f]{32}$/);
    await t.close();
  });

  it("carries the W3C traceparent through event attributes: the consumer's span is a child of the producer's", async () => {
    const { t, spans } = capture();
    let attributes: Record<string, string> = {};
    await t.span("publish", async () => {
      attributes = t.inject({ tenant: "t1" });
    });
    expect(attributes.tenant).toBe("t1");
    expect(attributes.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await t.withExtracted(attributes, "consume", async () => undefined);
    const [producer, consumer] = spans.getFinishedSpans();
    expect(consumer!.spanContext().traceId).toBe(producer!.spanContext().traceId);
    expect(consumer!.parentSpanContext?.spanId).toBe(producer!.spanContext().spanId);
    await t.close();
  });

  it("records a failing span as an error and rethrows", async () => {
    const { t, spans } = capture();
    await expect(t.span("fails", async () => Promise.reject(new Error("nope")))).rejects.toThrow("nope");
    expect(spans.getFinishedSpans()[0]!.status.code).toBe(2);
    await t.close();
  });

  it("counts and records metrics without an endpoint (no export, no error)", async () => {
    const { t } = capture();
    t.counter("events_published", 1, { stream: "property" });
    t.histogram("handler_ms", 12.5);
    await t.close();
  });
});
