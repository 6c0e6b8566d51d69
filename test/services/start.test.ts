/**
 * `npm start` as a developer meets it (embedded default): it prints the URL,
 * a dev token and a curl that works when pasted into a shell; Ctrl-C
 * (SIGINT) stops it cleanly; the data is still there after a restart.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call, ROOT, stopChild } from "./support/harness";

function start(dataDir: string): Promise<{ child: ChildProcess; out: () => string }> {
  const child = spawn(process.execPath, [join(ROOT, "scripts", "start.js"), "--port", "0", "--data-dir", dataDir], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`npm start: no banner after 90 s:\n${out}`)), 90_000);
    child.stdout!.on("data", () => {
      if (/Ctrl-C stops/.test(out)) {
        clearTimeout(t);
        resolve({ child, out: () => out });
      }
    });
    child.once("exit", (code) => reject(new Error(`npm start exited (${code}):\n${out}`)));
  });
}

describe("npm start (embedded default)", () => {
  const dir = mkdtempSync(join(tmpdir(), "hexproperty-start-"));
  const dataDir = join(dir, "data");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("given a fresh data folder, when started, then the printed curl works as printed, Ctrl-C stops with exit 0, and a restart finds the data", async () => {
    const first = await start(dataDir);
    const banner = first.out();
    const url = /running \(profile embedded\) at (http:\/\/\S+)/.exec(banner)![1]!;
    const token = /dev token[^\n]*\n\s+(\S+)/.exec(banner)![1]!;
    const curl = /^\s+(curl .*)$/m.exec(banner)![1]!;
    expect(curl).toContain(`${url}/properties`);
    const created = JSON.parse(execFileSync("sh", ["-c", curl], { encoding: "utf8" })) as { propertyId: string; version: number };
    expect(created.version).toBe(1);
    expect(existsSync(join(dir, "manifest.json"))).toBe(true);

    first.child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => first.child.once("exit", (c) => r(c)));
    expect([code, first.out().trim().split("\n").pop()]).toEqual([0, "stopped"]);

    const second = await start(dataDir);
    try {
      const url2 = /running \(profile embedded\) at (http:\/\/\S+)/.exec(second.out())![1]!;
      const again = await call(url2, "GET", `/properties/${created.propertyId}`, { token });
      expect([again.status, again.body.name, again.body.version]).toEqual([200, "Harbour View", 1]);
    } finally {
      expect(await stopChild(second.child)).toBe(0);
    }
  }, 240_000);
});
