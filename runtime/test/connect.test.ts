import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { connect } from "../src/connect";
import { embeddedManifest } from "./fixtures/manifests";
import { waitFor } from "./conformance/util";

const quiet = { telemetry: { sink: () => undefined } };

describe("connect", () => {
  it("embedded: returns working adapters of every port and closes them", async () => {
    const rt = await connect(embeddedManifest(), quiet);
    expect([rt.bus.kind, rt.writeStore.kind, rt.readStore.kind, rt.cache.kind]).toEqual(["memory", "pglite", "pglite", "memory"]);
    const got: string[] = [];
    await rt.bus.subscribe("projector", async (d) => void got.push(d.message.id));
    await rt.writeStore.save({ type: "Property", id: "p1", expectedVersion: 0, state: { name: "Elm" }, events: [{ id: "e1", stream: "property", type: "property.Registered", data: {} }] });
    const { OutboxRelay } = await import("../src/outbox/relay");
    const relay = new OutboxRelay(rt.writeStore, rt.bus, { intervalMs: 10 });
    relay.start();
    await waitFor("the relayed event", () => got.includes("e1"));
    await relay.stop();
    expect(rt.flags.isEnabled("darkMode")).toBe(true);
    await rt.close();
    await rt.close(); // idempotent
  });

  it("fails with one line naming the backend that does not answer, and closes what it opened", async () => {
    const m = embeddedManifest({ cache: { kind: "redis", host: "127.0.0.1", port: 1, tls: false, keyPrefix: "x:" } });
    const err = await connect(m, quiet).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^cache redis at 127\.0\.0\.1:1 does not answer: /);
    expect((err as Error).message).not.toContain("\n");
  });

  it("embedded profile loads no network driver (kafkajs, pg, ioredis, clickhouse, Google clients)", () => {
    const script = `
      const { connect } = require(${JSON.stringify(join(__dirname, "..", "src", "connect.ts"))});
      const m = ${JSON.stringify(embeddedManifest())};
      connect(m, { telemetry: { sink: () => {} } }).then(async (rt) => {
        const loaded = Object.keys(require.cache).filter((p) => /node_modules\\/(kafkajs|pg|ioredis|@clickhouse|@google-cloud|@grpc)\\//.test(p));
        await rt.close();
        process.stdout.write(JSON.stringify(loaded));
      }).catch((e) => { console.error(e); process.exit(1); });`;
    const out = execFileSync(process.execPath, ["--require", join(__dirname, "..", "..", "scripts", "ts-hook.js"), "-e", script], { cwd: join(__dirname, "..", ".."), encoding: "utf8", timeout: 60_000 });
    expect(JSON.parse(out)).toEqual([]);
  });
});
