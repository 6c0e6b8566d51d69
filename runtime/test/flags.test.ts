import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFlags } from "../src/flags";
import { embeddedManifest } from "./fixtures/manifests";
import { waitFor } from "./conformance/util";

describe("flags", () => {
  const dir = mkdtempSync(join(tmpdir(), "hp-flags-"));

  it("reads the manifest's flags; an unknown flag is off", async () => {
    const flags = createFlags({ newSearch: false, darkMode: true });
    expect(flags.isEnabled("darkMode")).toBe(true);
    expect(flags.isEnabled("newSearch")).toBe(false);
    expect(flags.isEnabled("nope")).toBe(false);
    expect(flags.all()).toEqual({ newSearch: false, darkMode: true });
    await flags.close();
  });

  it("tells listeners which flags changed when the watched file changes, without a restart", async () => {
    const path = join(dir, "m.json");
    writeFileSync(path, JSON.stringify(embeddedManifest({ flags: { newSearch: false, darkMode: true } })));
    const flags = createFlags({ newSearch: false, darkMode: true }, { source: { kind: "file", path, description: path }, pollMs: 25 });
    const changes: Record<string, boolean>[] = [];
    flags.onChange((c) => void changes.push({ ...c }));
    writeFileSync(path, JSON.stringify(embeddedManifest({ flags: { newSearch: true, darkMode: true, beta: true } })));
    await waitFor("a change event", () => changes.length > 0, 5000);
    expect(changes[0]).toEqual({ newSearch: true, beta: true });
    expect(flags.isEnabled("newSearch")).toBe(true);
    // a removed flag reads as off and is reported
    writeFileSync(path, JSON.stringify(embeddedManifest({ flags: { newSearch: true, darkMode: true } })));
    await waitFor("a second change event", () => changes.length > 1, 5000);
    expect(changes[1]).toEqual({ beta: false });
    await flags.close();
  });

  it("keeps the last good flags while the file is invalid, and reports it once", async () => {
    const path = join(dir, "m2.json");
    writeFileSync(path, JSON.stringify(embeddedManifest({ flags: { darkMode: true } })));
    const errors: string[] = [];
    const flags = createFlags({ darkMode: true }, { source: { kind: "file", path, description: path }, pollMs: 1_000_000, onError: (m) => errors.push(m) });
    writeFileSync(path, JSON.stringify({ ...embeddedManifest(), flags: { darkMode: "yes" } }));
    expect(flags.refresh()).toEqual({});
    expect(flags.refresh()).toEqual({});
    expect(flags.isEnabled("darkMode")).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/at flags\.darkMode/);
    await flags.close();
  });

  it("stops telling a listener after it unsubscribed", async () => {
    const flags = createFlags({ a: false });
    const heard: unknown[] = [];
    const off = flags.onChange((c) => heard.push(c));
    flags.replace({ a: true });
    off();
    flags.replace({ a: false });
    expect(heard).toEqual([{ a: true }]);
    await flags.close();
  });
});
