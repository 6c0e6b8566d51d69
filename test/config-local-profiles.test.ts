/**
 * The local profiles (portable-local, gcp-emulated) are derived, not retyped
 * (issue 8, item 3): streams and subscriptions from the domain catalog through
 * the stacks' naming code, ports from one file that backends.sh reads too.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { validateManifest } from "@hexproperty/runtime/manifest";
import { DOMAIN, eventNames } from "../constructs/domain";
import { defaultPorts, localManifests } from "../scripts/backends/write-manifests";

const ROOT = join(__dirname, "..");
type Bus = { eventBus: { streams: Record<string, unknown>; subscriptions: Record<string, { subscription: string }>; brokers?: string[]; emulatorHost?: string } };

describe("local profile manifests", () => {
  test("given the domain catalog, when the manifests are built, then both validate and carry the stacks' stream and subscription names", () => {
    const manifests = localManifests({ env: {} });
    const names = eventNames("hexproperty-local", DOMAIN);
    for (const manifest of Object.values(manifests)) {
      expect(validateManifest(manifest)).toMatchObject({ ok: true });
      const bus = (manifest as Bus).eventBus;
      expect(bus.streams).toEqual(names.streams);
      expect(Object.keys(bus.subscriptions)).toEqual(Object.keys(names.subscriptions));
      for (const [name, s] of Object.entries(names.subscriptions)) expect(bus.subscriptions[name]).toMatchObject(s);
    }
  });

  test("given a catalog with another stream, when the manifests are built, then its topic and subscription appear without retyping", () => {
    const domain = { ...DOMAIN, streams: [...DOMAIN.streams, { name: "payments", eventTypes: ["payments.PaymentReceived"], publishers: ["leasing"], consumers: { "projector-payments": "projector" } }] };
    const portable = localManifests({ env: {}, domain })["portable-local"] as Bus;
    expect(portable.eventBus.streams.payments).toEqual({ topic: "hexproperty-local-payments-events", deadLetterTopic: "hexproperty-local-payments-events-dlq" });
    expect(portable.eventBus.subscriptions["projector-payments"]!.subscription).toBe("hexproperty-local-projector-payments");
  });

  test("given no port variables, when the manifests are built, then the ports are those of scripts/backends/ports.env; a variable overrides one", () => {
    const ports = defaultPorts();
    const portable = localManifests({ env: {} })["portable-local"] as Bus;
    expect(portable.eventBus.brokers).toEqual([`127.0.0.1:${ports.HEXPROPERTY_KAFKA_PORT}`]);
    const gcp = localManifests({ env: { HEXPROPERTY_PUBSUB_PORT: "18085" } })["gcp-emulated"] as Bus;
    expect(gcp.eventBus.emulatorHost).toBe("127.0.0.1:18085");
    expect(() => localManifests({ env: { HEXPROPERTY_PG_PORT: "70000" } })).toThrow('HEXPROPERTY_PG_PORT="70000" is not a port; use a whole number from 1 to 65535');
  });

  test("given ports.env, when backends.sh is read, then it defines no port of its own (the ports are defined once)", () => {
    const script = readFileSync(join(ROOT, "scripts", "backends.sh"), "utf8");
    expect(script).toContain("scripts/backends/ports.env");
    for (const [variable, port] of Object.entries(defaultPorts())) {
      expect([variable, script.includes(String(port))]).toEqual([variable, false]);
    }
    expect(Object.keys(defaultPorts())).toHaveLength(10);
  });
});
