/**
 * Starts the backend the way a developer does (`node scripts/start.js
 * --profile <p>`), isolated from every other test and developer using the
 * same local servers: a run-unique HEXPROPERTY_NAMESPACE (write-store
 * schemas, read-model tables, cache keys), run-unique topics and
 * subscriptions in a copy of the profile's manifest, a fresh data folder for
 * the embedded profile. Also: dev tokens and a small JSON HTTP client.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { validateManifest, type RuntimeManifest } from "@hexproperty/runtime/manifest";
import { DevIssuer } from "../../../services/platform/dev-issuer";
import type { Role } from "../../../services/platform/auth";
import { embeddedManifest, type Profile } from "../../../services/launcher/profiles";
import { dropRunData } from "./cleanup";

export const ROOT = resolve(__dirname, "..", "..", "..");

export function runId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

/** The profile's manifest with run-unique topics and subscriptions (so no other consumer steals our events). */
export function isolatedManifest(profile: Profile, id: string, dir: string): RuntimeManifest {
  let m: RuntimeManifest;
  if (profile === "embedded") {
    m = embeddedManifest(join(dir, "data"));
  } else {
    const file = join(ROOT, ".local", "manifests", `${profile}.json`);
    let raw: string;
    try {
      raw = readFileSync(file, "utf8");
    } catch {
      throw new Error(`${file} is missing: the local backends are not up; run npm run backends:up`);
    }
    m = JSON.parse(raw) as RuntimeManifest;
  }
  const streams = Object.fromEntries(Object.entries(m.eventBus.streams).map(([k, s]) => [k, { topic: `${s.topic}-${id}`, deadLetterTopic: `${s.deadLetterTopic}-${id}` }]));
  const subscriptions = Object.fromEntries(Object.entries(m.eventBus.subscriptions).map(([k, s]) => [k, { ...s, subscription: `${s.subscription}-${id}` }]));
  const out = { ...m, eventBus: { ...m.eventBus, streams, subscriptions }, telemetry: { ...m.telemetry, logLevel: "warn" as const } } as RuntimeManifest;
  const v = validateManifest(out);
  if (!v.ok) throw new Error(`test manifest: ${v.issues[0]!.path}: ${v.issues[0]!.message}`);
  return v.manifest;
}

export interface Running {
  readonly profile: Profile;
  readonly url: string;
  readonly namespace: string;
  readonly manifestFile: string;
  readonly manifest: RuntimeManifest;
  readonly output: () => string;
  token(tenant: string, roles?: Role[]): string;
  /** Rewrites the manifest's flags (the services poll the file). */
  setFlags(flags: Record<string, boolean>): void;
  stop(): Promise<void>;
}

/** node scripts/start.js --profile <p> --port 0 --manifest <isolated copy>; resolves once it prints its URL. */
export async function startProfile(profile: Profile, timeoutMs = 120_000): Promise<Running> {
  const id = runId();
  const dir = mkdtempSync(join(tmpdir(), `hexproperty-${profile}-`));
  const manifest = isolatedManifest(profile, id, dir);
  const manifestFile = join(dir, "manifest.json");
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  const namespace = `t${id}`;
  const child = spawn(process.execPath, [join(ROOT, "scripts", "start.js"), "--profile", profile, "--port", "0", "--manifest", manifestFile, "--data-dir", join(dir, "data")], {
    cwd: ROOT,
    env: { ...process.env, HEXPROPERTY_NAMESPACE: namespace, HEXPROPERTY_FLAGS_POLL_MS: "200", METADATA_SERVER_DETECTION: "none" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`${profile}: not running after ${timeoutMs} ms; output:\n${out.slice(-3000)}`)), timeoutMs);
    const check = () => {
      const m = /HexProperty is running \(profile [a-z-]+\) at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${profile}: launcher exited (${signal ?? code}) before running; output:\n${out.slice(-3000)}`));
    });
  });
  const issuer = DevIssuer.ensure(manifest.auth, ROOT);
  return {
    profile,
    url,
    namespace,
    manifestFile,
    manifest,
    output: () => out,
    token: (tenant, roles = ["manager"]) => issuer.token({ tenant, roles }),
    setFlags: (flags) => {
      const tmp = `${manifestFile}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...manifest, flags }, null, 2));
      require("node:fs").renameSync(tmp, manifestFile);
    },
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
      await dropRunData(manifest, namespace);
    },
  };
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGINT", graceMs = 20_000): Promise<number | null> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) return r(child.exitCode);
    const t = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", (code) => {
      clearTimeout(t);
      r(code);
    });
    child.kill(signal);
  });
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
  readonly text: string;
}

/** A JSON request; the body is sent as given when it is a string. */
export async function call(url: string, method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
  }
  const r = await fetch(url + path, { method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(30_000) });
  const text = await r.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: r.status, headers: r.headers, body: parsed, text };
}

/** Polls until `check` passes (bounded; never asserts on time, only gives up). */
export async function eventually<T>(what: string, probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (check(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: still not true after ${timeoutMs} ms; last value: ${JSON.stringify(last).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
