import { ofType } from "../support/synth";
import { named, portableStacks } from "./portable-fixture";

const dev = portableStacks("dev");
const prod = portableStacks("prod");

describe("portable data layer", () => {
  test("given server sizes in config, when synthesized, then PostgreSQL, ClickHouse, Kafka and Valkey have requests = limits", () => {
    expect(named(prod.objects, "Cluster", "hexproperty-prod-write").spec.resources).toEqual({ requests: { cpu: "2", memory: "4Gi" }, limits: { cpu: "2", memory: "4Gi" } });
    const chi = named(prod.objects, "ClickHouseInstallation", "hexproperty-prod-read").spec;
    expect(chi.templates.podTemplates[0].spec.containers[0]).toMatchObject({ image: expect.stringMatching(/:\d+\.\d+/), resources: { limits: { cpu: "2", memory: "8Gi" } } });
    expect(named(prod.objects, "KafkaNodePool", "dual-role").spec.resources.limits).toEqual({ cpu: "2", memory: "4Gi" });
    const valkey = (ofType(prod.main, "helm_release") as any[]).find((r) => r.chart === "valkey");
    expect(JSON.parse(valkey.values[0]).resources.limits).toEqual({ cpu: "1", memory: "2Gi" });
  });

  test("given an object store and PITR in config, when synthesized, then CloudNativePG archives WAL there, with retention, and a ScheduledBackup runs on the schedule", () => {
    const backup = named(prod.objects, "Cluster", "hexproperty-prod-write").spec.backup;
    expect(backup).toMatchObject({
      retentionPolicy: "30d",
      barmanObjectStore: { destinationPath: "s3://hexproperty-prod-pg-backups/write", s3Credentials: { accessKeyId: { name: "hexproperty-prod-backup-credentials", key: "ACCESS_KEY_ID" } }, wal: { compression: "gzip" } },
    });
    expect(named(prod.objects, "ScheduledBackup", "hexproperty-prod-write-daily").spec).toMatchObject({ schedule: "0 0 2 * * *", cluster: { name: "hexproperty-prod-write" }, method: "barmanObjectStore" });
  });

  test("given no object store in config (dev), when synthesized, then there is no backup section and no ScheduledBackup", () => {
    expect(named(dev.objects, "Cluster", "hexproperty-dev-write").spec.backup).toBeUndefined();
    expect(dev.objects.filter((o) => o.kind === "ScheduledBackup")).toEqual([]);
  });

  test("given the cache, when synthesized, then Valkey requires AUTH from a Secret and TLS, and the manifest says so by reference", () => {
    const valkey = (ofType(dev.main, "helm_release") as any[]).find((r) => r.chart === "valkey");
    expect(JSON.parse(valkey.values[0])).toMatchObject({ auth: { enabled: true, usersExistingSecret: "hexproperty-dev-cache-auth" }, tls: { enabled: true, existingSecret: "hexproperty-dev-cache-tls" } });
    const manifest = (dev.main as any).output.runtime_manifest.value;
    expect(manifest.cache).toMatchObject({ tls: true, auth: { kind: "kubernetes-secret", name: "hexproperty-dev-cache-auth" }, ca: { kind: "kubernetes-secret", name: "hexproperty-dev-cache-tls", key: "ca.crt" } });
    expect(manifest.writeStore.ca).toEqual({ kind: "kubernetes-secret", name: "hexproperty-dev-write-ca", key: "ca.crt", env: "POSTGRES_CA" });
  });

  test("given every Secret the stack references and does not create, when planned, then a data source stops the plan with how to create it", () => {
    const inputs = Object.values((prod.main as any).data.kubernetes_secret_v1).map((d: any) => d.metadata.name).sort();
    expect(inputs).toEqual(["hexproperty-prod-backup-credentials", "hexproperty-prod-cache-auth", "hexproperty-prod-cache-tls", "hexproperty-prod-clickhouse-auth", "hexproperty-prod-jwt-issuer"]);
    for (const d of Object.values((prod.main as any).data.kubernetes_secret_v1) as any[]) expect(d.lifecycle.postcondition[0].error_message).toMatch(/is missing: create it/);
  });
});
