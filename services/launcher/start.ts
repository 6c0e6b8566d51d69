/**
 * `npm start [-- --profile embedded|portable-local|gcp-emulated] [--port N]`
 *
 * embedded (default): every service in this one process on PGlite (data in
 * .local/embedded/data, kept across restarts), the in-process bus and cache.
 * portable-local / gcp-emulated: each service its own process against the
 * local backends (npm run backends:up), behind a small gateway routing by the
 * OpenAPI document. Both print the URL, a dev token and one working curl;
 * Ctrl-C stops everything cleanly.
 *
 * `npm run token [-- --tenant acme --roles manager]` prints a dev token.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { DevIssuer } from "../platform/dev-issuer";
import type { Role } from "../platform/auth";
import { ensureEmbeddedManifest, PROFILES, profileManifestFile, readManifestFile, type Profile } from "./profiles";

const ROOT = resolve(__dirname, "..", "..");

interface Args {
  command: "start" | "token";
  profile: Profile;
  port: number;
  dataDir: string;
  manifest: string | undefined;
  tenant: string;
  roles: Role[];
}

export function parseArgs(argv: readonly string[]): Args {
  const a: Args = { command: "start", profile: "embedded", port: 8080, dataDir: resolve(ROOT, ".local", "embedded", "data"), manifest: undefined, tenant: "demo", roles: ["manager"] };
  const rest = [...argv];
  if (rest[0] === "token") {
    a.command = "token";
    rest.shift();
  }
  while (rest.length) {
    const flag = rest.shift()!;
    const value = rest.shift();
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case "--profile":
        if (!(PROFILES as readonly string[]).includes(value)) throw new Error(`--profile ${value} is not a profile; use one of ${PROFILES.join(", ")}`);
        a.profile = value as Profile;
        break;
      case "--port":
        a.port = Number(value);
        if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) throw new Error(`--port ${value} is not a port; use 0-65535 (0: any free port)`);
        break;
      case "--data-dir":
        a.dataDir = resolve(value);
        break;
      case "--manifest":
        a.manifest = resolve(value);
        break;
      case "--tenant":
        a.tenant = value;
        break;
      case "--roles":
        a.roles = value.split(",") as Role[];
        break;
      default:
        throw new Error(`unknown option ${flag}; options: --profile, --port, --data-dir, --manifest (token: --tenant, --roles)`);
    }
  }
  return a;
}

function manifestFileFor(a: Args): string {
  if (a.manifest) return a.manifest;
  return a.profile === "embedded" ? ensureEmbeddedManifest(a.dataDir) : profileManifestFile(a.profile, ROOT);
}

function banner(a: Args, url: string, token: string): string {
  const body = JSON.stringify({ name: "Harbour View", address: { line1: "1 Quay Street", city: "Lisbon", postalCode: "1100-001", country: "PT" } });
  return [
    "",
    `HexProperty is running (profile ${a.profile}) at ${url}`,
    a.profile === "embedded" ? `  data: ${a.dataDir} (kept across restarts; delete the folder to start over)` : `  backends: .local/manifests/${a.profile}.json`,
    `  dev token (tenant "${a.tenant}", role ${a.roles.join(",")}, valid 12 h; npm run token for a new one):`,
    `    ${token}`,
    "  try:",
    `    curl -s -X POST ${url}/properties -H "Authorization: Bearer ${token}" -H "Content-Type: application/json" -d '${body}'`,
    "  API: services/api/openapi.ts (OpenAPI 3.1). Ctrl-C stops.",
    "",
  ].join("\n");
}

async function startEmbedded(a: Args, manifestFile: string, issuer: DevIssuer): Promise<void> {
  process.env.HEXPROPERTY_MANIFEST_FILE = manifestFile;
  const { runServices } = require("../platform/host") as typeof import("../platform/host");
  const { allModules } = require("../modules") as typeof import("../modules");
  const host = await runServices(allModules, { port: a.port, handleSignals: false });
  process.stdout.write(banner(a, host.url, issuer.token({ tenant: a.tenant, roles: a.roles })) + "\n");
  const onSignal = (signal: string) => {
    process.stdout.write(`\n${signal}: stopping...\n`);
    const hard = setTimeout(() => process.exit(1), 10_000);
    hard.unref();
    host.stop().then(
      () => {
        process.stdout.write("stopped\n");
        process.exit(0);
      },
      (e) => {
        process.stderr.write(`stop failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
}

const SERVICES = ["projector", "property", "leasing", "search"] as const;

async function startProcesses(a: Args, manifestFile: string, issuer: DevIssuer): Promise<void> {
  const { startGateway } = require("../platform/gateway") as typeof import("../platform/gateway");
  const upstreams: Record<string, string> = {};
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const spawnService = (name: string): Promise<void> =>
    new Promise((resolveReady, rejectReady) => {
      const child = spawn(process.execPath, ["-r", resolve(ROOT, "scripts", "ts-hook.js"), resolve(ROOT, "services", name, "main.ts")], {
        cwd: ROOT,
        // the Google clients must not probe a GCE metadata server when talking to the emulators
        env: { METADATA_SERVER_DETECTION: "none", ...process.env, HEXPROPERTY_MANIFEST_FILE: manifestFile, PORT: "0", HOST: "127.0.0.1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.set(name, child);
      let ready = false;
      const prefix = (chunk: Buffer, to: NodeJS.WriteStream) => {
        for (const line of chunk.toString().split("\n")) {
          if (!line) continue;
          const m = /listening on (http:\/\/\S+)/.exec(line);
          if (m && !ready) {
            ready = true;
            upstreams[name] = m[1]!;
            resolveReady();
          }
          to.write(`[${name}] ${line}\n`);
        }
      };
      child.stdout!.on("data", (c: Buffer) => prefix(c, process.stdout));
      child.stderr!.on("data", (c: Buffer) => prefix(c, process.stderr));
      child.on("exit", (code, signal) => {
        delete upstreams[name];
        if (stopping) return;
        if (!ready) return rejectReady(new Error(`service ${name} exited before listening (${signal ?? `exit code ${code}`}); see its lines above`));
        process.stderr.write(`[launcher] ${name} exited (${signal ?? `code ${code}`}); restarting it\n`);
        setTimeout(() => void spawnService(name).catch((e) => process.stderr.write(`[launcher] ${String(e)}\n`)), 500);
      });
    });
  const stopAll = async (signal: NodeJS.Signals) => {
    stopping = true;
    await Promise.all(
      [...children.values()].map(
        (c) =>
          new Promise<void>((r) => {
            if (c.exitCode !== null || c.signalCode !== null) return r();
            c.once("exit", () => r());
            c.kill(signal);
            setTimeout(() => c.kill("SIGKILL"), 10_000).unref();
          }),
      ),
    );
  };
  try {
    await Promise.all(SERVICES.map(spawnService));
  } catch (e) {
    await stopAll("SIGTERM");
    throw e;
  }
  const gw = await startGateway(upstreams, a.port);
  process.stdout.write(banner(a, gw.url, issuer.token({ tenant: a.tenant, roles: a.roles })) + "\n");
  const onSignal = (signal: NodeJS.Signals) => {
    process.stdout.write(`\n${signal}: stopping the services...\n`);
    gw.server.close();
    gw.server.closeAllConnections();
    stopAll("SIGTERM").then(() => {
      process.stdout.write("stopped\n");
      process.exit(0);
    });
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
}

export async function main(argv: readonly string[]): Promise<void> {
  const a = parseArgs(argv);
  const manifestFile = manifestFileFor(a);
  const manifest = readManifestFile(manifestFile);
  const issuer = DevIssuer.ensure(manifest.auth, ROOT);
  if (a.command === "token") {
    process.stdout.write(`${issuer.token({ tenant: a.tenant, roles: a.roles })}\n`);
    return;
  }
  if (a.profile === "embedded") await startEmbedded(a, manifestFile, issuer);
  else await startProcesses(a, manifestFile, issuer);
}

