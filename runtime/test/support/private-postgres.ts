/**
 * A private PostgreSQL server for one test file: its own data folder under the
 * OS temp dir, its own free port on 127.0.0.1, optionally TLS with a
 * certificate signed by a CA made on the spot. Started from the same binaries
 * scripts/backends.sh uses; stopped (and its folder removed) by stop().
 * Never touches the shared backends.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PG_BIN = "/usr/lib/postgresql/15/bin";

export interface PrivatePostgres {
  readonly port: number;
  /** PEM of the CA that signed the server certificate (TLS only). */
  readonly caPem: string | undefined;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A CA and a server certificate for 127.0.0.1/localhost signed by it, made with openssl in `dir`. */
export function makeCertificates(dir: string): { caPem: string; caFile: string; certFile: string; keyFile: string } {
  const f = (n: string) => join(dir, n);
  const run = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=HexProperty test CA", "-keyout", f("ca.key"), "-out", f("ca.crt"));
  run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", f("server.key"), "-out", f("server.csr"));
  writeFileSync(f("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  run("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", f("san.ext"), "-out", f("server.crt"));
  return { caPem: readFileSync(f("ca.crt"), "utf8"), caFile: f("ca.crt"), certFile: f("server.crt"), keyFile: f("server.key") };
}

export async function startPrivatePostgres(options: { tls: boolean }): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), "hp-private-pg-"));
  const asRoot = process.getuid?.() === 0;
  const pgUid = asRoot ? Number(execFileSync("id", ["-u", "postgres"]).toString().trim()) : undefined;
  const pgGid = asRoot ? Number(execFileSync("id", ["-g", "postgres"]).toString().trim()) : undefined;
  const own = (path: string) => {
    if (pgUid !== undefined) chownSync(path, pgUid, pgGid!);
  };
  own(dir);
  chmodSync(dir, 0o700);
  const spawnOpts = { uid: pgUid, gid: pgGid, stdio: "pipe" as const };
  execFileSync(`${PG_BIN}/initdb`, ["-D", join(dir, "data"), "--username=postgres", "--auth=trust", "--no-locale", "--encoding=UTF8"], spawnOpts);
  let caPem: string | undefined;
  const args = ["-D", join(dir, "data"), "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${dir}`, "-c", "fsync=off"];
  if (options.tls) {
    const certs = makeCertificates(dir);
    for (const p of [certs.certFile, certs.keyFile, certs.caFile]) own(p);
    chmodSync(certs.keyFile, 0o600);
    caPem = certs.caPem;
    args.push("-c", "ssl=on", "-c", `ssl_cert_file=${certs.certFile}`, "-c", `ssl_key_file=${certs.keyFile}`);
  }
  const port = await freePort();
  args.push("-c", `port=${port}`);
  const child: ChildProcess = spawn(`${PG_BIN}/postgres`, args, { ...spawnOpts, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.on("data", (b: Buffer) => (log += b.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      execFileSync(`${PG_BIN}/pg_isready`, ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres"], { stdio: "pipe" });
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`private postgres did not start: ${log.split("\n").slice(-5).join(" ")}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    port,
    caPem,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGINT"); // fast shutdown
        const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
