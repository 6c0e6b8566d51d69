/**
 * The shape every construct follows: props not environments, the stack
 * chosen once, behaviour from config keys (never from an environment's
 * name), idempotent grants, named errors.
 */
import { readdirSync, readFileSync, statSync } from "fs";
import { join, relative } from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { GcpData } from "../../constructs/data";
import { PortableEvents } from "../../constructs/events";
import { Naming } from "../../constructs/core/context";
import { DOMAIN } from "../../constructs/domain";
import { environments, kubeObjects, ofType, synthAll } from "../support/synth";
import { ENVIRONMENTS } from "../../environments";

const ROOT = join(__dirname, "..", "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.ts$/.test(name) ? [p] : [];
  });
}
const infrastructure = [...sources(join(ROOT, "constructs")), ...sources(join(ROOT, "stacks"))];

describe("construct shape", () => {
  test("given constructs and stacks, when scanned, then no stack settings are reached through a non-null assertion", () => {
    const offenders = infrastructure.filter((f) => /\.(gcp|portable)!|ctx\.gcp\b/.test(readFileSync(f, "utf8"))).map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  test("given constructs and stacks, when scanned, then no behaviour hangs on an environment's name", () => {
    const offenders = infrastructure.filter((f) => /env\.name\s*[!=]==/.test(readFileSync(f, "utf8"))).map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  test("given constructs and stacks, when scanned, then errors come only from the named factories in constructs/errors.ts", () => {
    const offenders = infrastructure.filter((f) => !f.endsWith(join("constructs", "errors.ts")) && /new Error\(/.test(readFileSync(f, "utf8"))).map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  test("given another CDKTF app without any Environment, when a gcp and a portable construct are built from props alone, then they synthesize", () => {
    const app = new App({ outdir: "/tmp/hexproperty-reuse" });
    const stack = new TerraformStack(app, "elsewhere");
    const data = new GcpData(stack, "data", { projectId: "acme-data-1", region: "europe-west4", names: new Naming("acme"), spannerProcessingUnits: 100, redisTier: "BASIC", redisMemoryGb: 1 });
    const events = new PortableEvents(stack, "events", {
      namespace: "acme", operatorsNamespace: "acme-operators", names: new Naming("acme"), domain: DOMAIN, replicas: 1, storageGi: 5,
      delivery: { partitions: 1, retentionHours: 1, maxDeliveryAttempts: 5, ackDeadlineSeconds: 10, minBackoffSeconds: 1, maxBackoffSeconds: 10 },
    });
    const json = JSON.parse(Testing.synth(stack));
    expect(ofType(json, "google_firestore_database")[0]).toMatchObject({ project: "acme-data-1", delete_protection_state: "DELETE_PROTECTION_DISABLED" });
    expect(kubeObjects(json, "KafkaTopic").map((t) => t.metadata.name)).toContain("hexproperty-acme-property-events");
    expect(data.writeStore.kind).toBe("datastore");
    expect(events.manifest.kind).toBe("kafka");
  });

  test("given a gcp data layer, when the same grants are made twice, then the output is the same as granting once", () => {
    const identity = { kind: "gcp-service-account", name: "search", email: "search@acme-data-1.iam.gserviceaccount.com" } as const;
    const build = (times: number) => Testing.synthScope((scope) => {
      const data = new GcpData(scope, "data", { projectId: "acme-data-1", region: "europe-west4", names: new Naming("acme"), spannerProcessingUnits: 100, redisTier: "BASIC", redisMemoryGb: 1 });
      for (let i = 0; i < times; i++) {
        data.grantWrite(identity);
        data.grantRead(identity);
        data.grantProject(identity);
        data.grantCache(identity);
      }
    });
    expect(build(2)).toBe(build(1));
  });
});

describe("protection by configuration", () => {
  const PROTECTION_TYPES = ["google_firestore_database", "google_firestore_backup_schedule", "google_spanner_database", "google_spanner_backup_schedule", "google_logging_project_bucket_config", "google_cloud_run_v2_service", "google_redis_instance"];
  const protectionOf = (json: Parameters<typeof ofType>[0]) => ({
    firestore: ofType(json, "google_firestore_database").map((r) => [r.point_in_time_recovery_enablement, r.delete_protection_state, r.deletion_policy]),
    firestoreBackups: ofType(json, "google_firestore_backup_schedule").map((r) => [r.retention, r.daily_recurrence]),
    spanner: ofType(json, "google_spanner_database").map((r) => [r.deletion_protection, r.version_retention_period]),
    spannerBackups: ofType(json, "google_spanner_backup_schedule").map((r) => [r.retention_duration, r.spec]),
    logs: ofType(json, "google_logging_project_bucket_config").map((r) => r.retention_days),
    services: ofType(json, "google_cloud_run_v2_service").map((r) => r.deletion_protection),
    cache: ofType(json, "google_redis_instance").map((r) => [r.tier, r.auth_enabled, r.transit_encryption_mode]),
  });

  test("given staging with prod's protection, telemetry and HA keys, when synthesized, then its protection resources equal prod's", () => {
    const prod = ENVIRONMENTS.prod!;
    const stacks = synthAll(environments({ staging: { protection: prod.protection, telemetry: prod.telemetry, gcp: { redisTier: prod.gcp!.redisTier } } }));
    expect(PROTECTION_TYPES.every((t) => ofType(stacks["hexproperty-prod"]!, t).length > 0)).toBe(true);
    expect(protectionOf(stacks["hexproperty-staging"]!)).toEqual(protectionOf(stacks["hexproperty-prod"]!));
    expect(protectionOf(synthAll(environments({}))["hexproperty-staging"]!)).not.toEqual(protectionOf(stacks["hexproperty-prod"]!));
  });
});
