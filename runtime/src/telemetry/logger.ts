/**
 * Structured logs, one JSON object per line. On logFormat "cloud-logging" the
 * field names are the ones Cloud Logging reads from a container's stdout:
 * severity, message, time, logging.googleapis.com/trace, .../spanId,
 * .../trace_sampled. "json" uses level/message/time/traceId/spanId;
 * "console" prints a readable line.
 */
import type { LogLevel, Logger } from "../ports";
import type { TelemetryManifest } from "../manifest/schema";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SEVERITY: Record<LogLevel, string> = { debug: "DEBUG", info: "INFO", warn: "WARNING", error: "ERROR" };

/** The trace a log line belongs to, if any. */
export interface TraceRef {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
}

export interface LoggerSettings {
  readonly format: TelemetryManifest["logFormat"];
  readonly level: LogLevel;
  readonly component: string;
  /** GCP project, to write the trace as projects/<p>/traces/<id>. @default the bare trace id */
  readonly projectId?: string;
  /** Where lines go. @default process.stdout */
  readonly sink: (line: string) => void;
  /** The active trace, asked per line. */
  readonly activeTrace: () => TraceRef | undefined;
  readonly now?: () => Date;
}

export function createLogger(s: LoggerSettings): Logger {
  const log = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < ORDER[s.level]) return;
    const time = (s.now?.() ?? new Date()).toISOString();
    const trace = s.activeTrace();
    const extra = serializable(fields);
    if (s.format === "console") {
      const kv = Object.entries(extra).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
      s.sink(`${time} ${level.toUpperCase().padEnd(5)} [${s.component}] ${message}${kv.length ? " " + kv.join(" ") : ""}${trace ? ` trace=${trace.traceId}` : ""}`);
      return;
    }
    const line: Record<string, unknown> =
      s.format === "cloud-logging"
        ? { severity: SEVERITY[level], message, time, component: s.component, ...extra }
        : { level, message, time, component: s.component, ...extra };
    if (trace) {
      if (s.format === "cloud-logging") {
        line["logging.googleapis.com/trace"] = s.projectId ? `projects/${s.projectId}/traces/${trace.traceId}` : trace.traceId;
        line["logging.googleapis.com/spanId"] = trace.spanId;
        line["logging.googleapis.com/trace_sampled"] = trace.sampled;
      } else {
        line.traceId = trace.traceId;
        line.spanId = trace.spanId;
      }
    }
    s.sink(JSON.stringify(line));
  };
  return {
    log,
    debug: (m, f) => log("debug", m, f),
    info: (m, f) => log("info", m, f),
    warn: (m, f) => log("warn", m, f),
    error: (m, f) => log("error", m, f),
  };
}

/** Errors become { name, message, stack }; everything else is kept as is. */
function serializable(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
  }
  return out;
}
