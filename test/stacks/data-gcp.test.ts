import { Testing } from "cdktf";
import { FirestoreBackupSchedule } from "@cdktf/provider-google/lib/firestore-backup-schedule";
import { SpannerBackupSchedule } from "@cdktf/provider-google/lib/spanner-backup-schedule";
import { SpannerDatabase } from "@cdktf/provider-google/lib/spanner-database";
import { RedisInstance } from "@cdktf/provider-google/lib/redis-instance";
import { dataLayer, type GcpData } from "../../constructs/data";
import { contextFor, environment, ofType } from "../support/synth";

const staging = environment("staging");
const prod = environment("prod");
const sa = (name: string) => ({ kind: "gcp-service-account", name, email: `hp-staging-${name}@hexproperty-staging.iam.gserviceaccount.com` }) as const;

function synth(env = staging, build?: (data: GcpData) => void): { out: string; json: any; data: GcpData } {
  let data!: GcpData;
  const out = Testing.synthScope((scope) => {
    data = dataLayer(contextFor(scope, env), ["property", "leasing", "projector"]) as GcpData;
    build?.(data);
  });
  return { out, json: JSON.parse(out), data };
}

describe("gcp data layer", () => {
  test("given three write owners, when synthesized, then each owns its own Firestore database in Datastore mode", () => {
    const names = ofType(synth().json, "google_firestore_database").map((d) => [d.name, d.type, d.location_id]).sort();
    expect(names).toEqual([
      ["hexproperty-staging-write-leasing", "DATASTORE_MODE", "europe-west1"],
      ["hexproperty-staging-write-projector", "DATASTORE_MODE", "europe-west1"],
      ["hexproperty-staging-write-property", "DATASTORE_MODE", "europe-west1"],
    ]);
  });

  test("given grantWrite, when synthesized, then the identity is datastore.user on its own database only (IAM condition)", () => {
    const { json } = synth(staging, (d) => { d.grantWrite(sa("property")); d.grantWrite(sa("leasing")); });
    const grants = ofType(json, "google_project_iam_member");
    expect(grants.map((g) => [g.member, g.role, (g.condition as { expression: string }).expression]).sort()).toEqual([
      ["serviceAccount:hp-staging-leasing@hexproperty-staging.iam.gserviceaccount.com", "roles/datastore.user", expect.stringMatching(/^resource\.name == "projects\/hexproperty-staging\/databases\/\$\{google_firestore_database\.data_write-leasing-db_[0-9A-F]+\.name\}"$/)],
      ["serviceAccount:hp-staging-property@hexproperty-staging.iam.gserviceaccount.com", "roles/datastore.user", expect.stringMatching(/^resource\.name == "projects\/hexproperty-staging\/databases\/\$\{google_firestore_database\.data_write-property-db_[0-9A-F]+\.name\}"$/)],
    ]);
  });

  test("given a workload that owns no write data, when asked for its write store, then there is none, and granting it write fails with the owners listed", () => {
    const { data } = synth();
    expect(data.writeStoreOf("search")).toBeUndefined();
    expect(data.writeStoreOf("leasing")).toMatchObject({ kind: "datastore", projectId: "hexproperty-staging" });
    expect(data.writeStoreOf("leasing")!.kind === "datastore" && data.writeStoreOf("leasing")).not.toEqual(data.writeStoreOf("property"));
    expect(() => synth(staging, (d) => d.grantWrite(sa("search")))).toThrow('workload "search" owns no write database; owners of this environment: property, leasing, projector');
  });

  test("given staging's protection keys (no backups, 1 h retention), when synthesized, then there is no backup schedule and Spanner keeps versions 1 h", () => {
    const { out } = synth();
    expect(out).not.toHaveResource(FirestoreBackupSchedule);
    expect(out).not.toHaveResource(SpannerBackupSchedule);
    expect(out).toHaveResourceWithProperties(SpannerDatabase, { version_retention_period: "1h", deletion_protection: false });
  });

  test("given prod's protection keys, when synthesized, then every database has daily backups kept 30 days, PITR and delete protection, and Spanner keeps versions 72 h", () => {
    const { json, out } = synth(prod);
    expect(ofType(json, "google_firestore_backup_schedule").map((b) => [b.retention, b.daily_recurrence])).toEqual(Array(3).fill(["2592000s", {}]));
    expect(out).toHaveResourceWithProperties(SpannerBackupSchedule, { retention_duration: "2592000s", spec: { cron_spec: { text: "0 2 * * *" } }, full_backup_spec: {} });
    expect(out).toHaveResourceWithProperties(SpannerDatabase, { version_retention_period: "72h", deletion_protection: true });
    for (const db of ofType(json, "google_firestore_database")) expect(db).toMatchObject({ point_in_time_recovery_enablement: "POINT_IN_TIME_RECOVERY_ENABLED", delete_protection_state: "DELETE_PROTECTION_ENABLED", deletion_policy: "ABANDON" });
    expect(ofType(json, "google_spanner_instance")[0]).toMatchObject({ default_backup_schedule_type: "NONE" });
  });

  test("given the cache, when synthesized, then Redis has AUTH and TLS and sits on the VPC through Private Service Access", () => {
    const { out, json } = synth();
    expect(out).toHaveResourceWithProperties(RedisInstance, { auth_enabled: true, transit_encryption_mode: "SERVER_AUTHENTICATION", connect_mode: "PRIVATE_SERVICE_ACCESS" });
    const [redis] = ofType(json, "google_redis_instance");
    expect(redis!.authorized_network).toMatch(/^\$\{google_compute_network\..*\.id\}$/);
    expect(redis!.reserved_ip_range).toMatch(/^\$\{google_compute_global_address\..*\.name\}$/);
    expect(redis!.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^google_service_networking_connection\./)]));
  });

  test("given the cache, when asked for its manifest section, then AUTH and the server CA are Secret Manager references, replicated only in the region", () => {
    const { data, json } = synth();
    expect(data.cache).toMatchObject({ kind: "redis", tls: true, auth: { kind: "secret-manager" }, ca: { kind: "secret-manager" } });
    const cache = data.cache as { auth: { name: string }; ca: { name: string } };
    expect(cache.auth.name).toMatch(/^projects\/hexproperty-staging\/secrets\/hexproperty-staging-cache-auth\/versions\//);
    expect(cache.ca.name).toMatch(/^projects\/hexproperty-staging\/secrets\/hexproperty-staging-cache-ca\/versions\//);
    const versions = ofType(json, "google_secret_manager_secret_version").map((v) => v.secret_data);
    expect(versions).toEqual([expect.stringMatching(/auth_string/), expect.stringMatching(/server_ca_certs\[0\]\.cert/)]);
    for (const s of ofType(json, "google_secret_manager_secret")) expect(s.replication).toEqual({ user_managed: { replicas: [{ location: "europe-west1" }] } });
  });

  test("given grantCache, when synthesized, then the identity can read the AUTH string and the CA, nothing else", () => {
    const { json } = synth(staging, (d) => d.grantCache(sa("search")));
    const grants = ofType(json, "google_secret_manager_secret_iam_member");
    expect(grants.map((g) => g.role)).toEqual(["roles/secretmanager.secretAccessor", "roles/secretmanager.secretAccessor"]);
    expect(grants.map((g) => String(g.secret_id).replace(/_[0-9A-F]+\.secret_id\}$/, "}")).sort()).toEqual(["${google_secret_manager_secret.data_cache-auth}", "${google_secret_manager_secret.data_cache-ca}"]);
  });
});
