/** One service as its own process (node -r scripts/ts-hook.js services/<name>/main.ts), restartable, for the kill -9 and fuzz tests. */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ROOT, stopChild } from "./harness";

export class ServiceProcess {
  private child: ChildProcess | undefined;
  private out = "";
  url = "";
  starts = 0;

  constructor(readonly name: string, private readonly env: Record<string, string>) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  output(): string {
    return this.out.slice(-4000);
  }

  /** Starts it and resolves with its URL once it listens. */
  start(timeoutMs = 60_000): Promise<string> {
    const child = spawn(process.execPath, ["-r", join(ROOT, "scripts", "ts-hook.js"), join(ROOT, "services", this.name, "main.ts")], {
      cwd: ROOT,
      env: { ...process.env, METADATA_SERVER_DETECTION: "none", PORT: "0", HOST: "127.0.0.1", ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.starts += 1;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: not listening after ${timeoutMs} ms:\n${this.output()}`)), timeoutMs);
      const onData = (c: Buffer) => {
        this.out += c.toString();
        const m = /listening on (http:\/\/\S+)/.exec(c.toString());
        if (m) {
          clearTimeout(timer);
          this.url = m[1]!;
          resolve(this.url);
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (c: Buffer) => (this.out += c.toString()));
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${signal ?? code}) before listening:\n${this.output()}`));
      });
    });
  }

  /** SIGKILL: no shutdown code runs. Resolves when the process is gone. */
  kill9(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
    return new Promise((r) => {
      c.once("exit", () => r());
      c.kill("SIGKILL");
    });
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child, "SIGTERM");
  }
}
