import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadManifest, loadManifestWithSource } from "../src/manifest/load";
import { embeddedManifest } from "./fixtures/manifests";

const dir = mkdtempSync(join(tmpdir(), "hp-manifest-"));
const file = (name: string, content: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
};
const errorOf = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
};

describe("loadManifest", () => {
  it("reads the JSON from HEXPROPERTY_MANIFEST first", () => {
    const env = { HEXPROPERTY_MANIFEST: JSON.stringify(embeddedManifest()), HEXPROPERTY_MANIFEST_FILE: "/nonexistent" };
    const { manifest, source } = loadManifestWithSource({ env });
    expect(manifest.stack).toBe("embedded");
    expect(source.kind).toBe("env");
  });

  it("reads a file named by HEXPROPERTY_MANIFEST_FILE", () => {
    const p = file("m.json", embeddedManifest({ environment: "dev" }));
    expect(loadManifest({ env: { HEXPROPERTY_MANIFEST_FILE: p } }).environment).toBe("dev");
  });

  it("reads a cdktf outputs file for HEXPROPERTY_STACK, the manifest as a JSON string or an object", () => {
    const asString = file("outputs1.json", { "hexproperty-dev": { runtime_manifest: JSON.stringify(embeddedManifest({ environment: "dev" })) }, other: {} });
    expect(loadManifest({ env: { HEXPROPERTY_OUTPUTS_FILE: asString, HEXPROPERTY_STACK: "hexproperty-dev" } }).environment).toBe("dev");
    const asObject = file("outputs2.json", { "hexproperty-prod": { runtime_manifest: embeddedManifest({ environment: "prod" }) } });
    expect(loadManifest({ env: { HEXPROPERTY_OUTPUTS_FILE: asObject, HEXPROPERTY_STACK: "hexproperty-prod" } }).environment).toBe("prod");
  });

  it("fails on one line naming the variables when no source is set", () => {
    const e = errorOf(() => loadManifest({ env: {} }));
    expect(e.message).toMatch(/HEXPROPERTY_MANIFEST.*HEXPROPERTY_MANIFEST_FILE.*HEXPROPERTY_OUTPUTS_FILE/);
    expect(e.message).not.toContain("\n");
  });

  it("fails on one line naming the source, the key path and the problem", () => {
    const bad = embeddedManifest();
    (bad.cache as { maxEntries: number }).maxEntries = 0;
    const e = errorOf(() => loadManifest({ env: { HEXPROPERTY_MANIFEST: JSON.stringify(bad) } }));
    expect(e.message).toMatch(/^runtime manifest from env HEXPROPERTY_MANIFEST: at cache\.maxEntries: /);
    expect(e.message).not.toContain("\n");

    const p = file("bad.json", { ...embeddedManifest(), eventBus: { ...embeddedManifest().eventBus, kind: "rabbitmq" } });
    const e2 = errorOf(() => loadManifest({ env: { HEXPROPERTY_MANIFEST_FILE: p } }));
    expect(e2.message).toContain(`file ${p}`);
    expect(e2.message).toContain("at eventBus.kind:");
    expect(e2.message).not.toContain("\n");
  });

  it("names the stack and output in errors from an outputs file", () => {
    const bad = embeddedManifest();
    (bad.telemetry as { traceSampleRatio: number }).traceSampleRatio = 2;
    const p = file("outputs3.json", { "hexproperty-dev": { runtime_manifest: JSON.stringify(bad) } });
    const e = errorOf(() => loadManifest({ env: { HEXPROPERTY_OUTPUTS_FILE: p, HEXPROPERTY_STACK: "hexproperty-dev" } }));
    expect(e.message).toMatch(/stack hexproperty-dev .*output runtime_manifest: at telemetry\.traceSampleRatio: /);
    const missing = errorOf(() => loadManifest({ env: { HEXPROPERTY_OUTPUTS_FILE: p, HEXPROPERTY_STACK: "hexproperty-qa" } }));
    expect(missing.message).toMatch(/stack "hexproperty-qa" is not in it; stacks in the file: hexproperty-dev/);
    const noStack = errorOf(() => loadManifest({ env: { HEXPROPERTY_OUTPUTS_FILE: p } }));
    expect(noStack.message).toMatch(/HEXPROPERTY_STACK is not set/);
    const noOutput = file("outputs4.json", { "hexproperty-dev": { other: 1 } });
    expect(errorOf(() => loadManifest({ env: { HEXPROPERTY_OUTPUTS_FILE: noOutput, HEXPROPERTY_STACK: "hexproperty-dev" } })).message).toMatch(/no output "runtime_manifest"/);
  });

  it("rejects an unresolved Terraform token anywhere in the values, on one line naming the source and key path", () => {
    const withToken = embeddedManifest({ cache: { kind: "redis", host: "${google_redis_instance.cache.host}", port: 6379, tls: true, keyPrefix: "hp:" } });
    const p = file("token.json", withToken);
    const e = errorOf(() => loadManifest({ env: { HEXPROPERTY_MANIFEST_FILE: p } }));
    expect(e.message).toBe(`runtime manifest from file ${p} (HEXPROPERTY_MANIFEST_FILE): at cache.host: unresolved Terraform token "\${google_redis_instance.cache.host}"; read the manifest from the stack's runtime_manifest output after apply (cdktf output), not from the synthesized cdk.tf.json`);

    const inArray = embeddedManifest({ eventBus: { kind: "kafka", brokers: ["${TfToken[TOKEN.12]}:9092"], clientId: "hp", tls: false, streams: {}, subscriptions: {} } } as never);
    const outputs = file("outputs-token.json", { "hexproperty-dev": { runtime_manifest: JSON.stringify(inArray) } });
    const e2 = errorOf(() => loadManifest({ env: { HEXPROPERTY_OUTPUTS_FILE: outputs, HEXPROPERTY_STACK: "hexproperty-dev" } }));
    expect(e2.message).toMatch(/output runtime_manifest: at eventBus\.brokers\.0: unresolved Terraform token "\$\{TfToken\[TOKEN\.12\]\}:9092"/);
    expect(e2.message).not.toContain("\n");
  });

  it("accepts a UTF-8 byte-order mark at the start of a manifest file and of an outputs file", () => {
    const p = file("bom.json", `\uFEFF${JSON.stringify(embeddedManifest({ environment: "dev" }))}`);
    expect(loadManifest({ env: { HEXPROPERTY_MANIFEST_FILE: p } }).environment).toBe("dev");
    const outputs = file("outputs-bom.json", `\uFEFF${JSON.stringify({ "hexproperty-dev": { runtime_manifest: embeddedManifest({ environment: "dev" }) } })}`);
    expect(loadManifest({ env: { HEXPROPERTY_OUTPUTS_FILE: outputs, HEXPROPERTY_STACK: "hexproperty-dev" } }).environment).toBe("dev");
  });

  it("fails on one line for a missing file and for text that is not JSON", () => {
    const missing = errorOf(() => loadManifest({ env: { HEXPROPERTY_MANIFEST_FILE: join(dir, "nope.json") } }));
    expect(missing.message).toMatch(/^runtime manifest from file .*nope\.json.*cannot read it/);
    const notJson = errorOf(() => loadManifest({ env: { HEXPROPERTY_MANIFEST: "{not json" } }));
    expect(notJson.message).toMatch(/^runtime manifest from env HEXPROPERTY_MANIFEST: not valid JSON/);
    expect(notJson.message).not.toContain("\n");
  });
});
