import { environment, kubeObjects, ofType, synthAll } from "../support/synth";
import { named, ofKind, portableStacks } from "./portable-fixture";
import { restrictedViolations } from "./pod-security";

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

  test("given workloadIdentity instead of a credentials Secret, when synthesized, then barman-cloud uses the cloud identity of PostgreSQL's annotated ServiceAccount and nothing is an input", () => {
    const annotations = { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/pg-backup" };
    const env = environment("prod", { stack: "portable", portable: { backup: { credentialsSecret: null, workloadIdentity: { serviceAccountAnnotations: annotations } } } });
    const main = synthAll([env])["hexproperty-prod"]!;
    const spec = named(kubeObjects(main), "Cluster", "hexproperty-prod-write").spec;
    expect(spec.backup.barmanObjectStore.s3Credentials).toEqual({ inheritFromIAMRole: true });
    expect(spec.serviceAccountTemplate).toEqual({ metadata: { annotations } });
    expect((main as any).data?.kubernetes_secret_v1).toBeUndefined();
    const gs = environment("prod", { stack: "portable", portable: { backup: { destinationPath: "gs://hexproperty-prod-pg/write", credentialsSecret: null, workloadIdentity: { serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": "pg@p.iam.gserviceaccount.com" } } } } });
    expect(named(kubeObjects(synthAll([gs])["hexproperty-prod"]!), "Cluster", "hexproperty-prod-write").spec.backup.barmanObjectStore.googleCredentials).toEqual({ gkeEnvironment: true });
  });

  test("given both or neither of credentialsSecret and workloadIdentity, when validated, then one line says exactly one is needed", () => {
    const both = { stack: "portable", portable: { backup: { workloadIdentity: { serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": "pg@p.iam.gserviceaccount.com" } } } } };
    expect(() => environment("prod", both)).toThrow(/portable\.backup\.credentialsSecret = "hexproperty-prod-backup-credentials" is not allowed; expected exactly one of portable\.backup\.credentialsSecret .* and portable\.backup\.workloadIdentity/);
    expect(() => environment("prod", { stack: "portable", portable: { backup: { credentialsSecret: null } } })).toThrow(/expected exactly one of portable\.backup\.credentialsSecret/);
  });

  test("given a credentials Secret for each object store, when synthesized, then the stack checks the key barman-cloud reads from it", () => {
    const keyChecked = (destinationPath: string) => {
      const main = synthAll([environment("prod", { stack: "portable", portable: { backup: { destinationPath } } })])["hexproperty-prod"]!;
      const secrets = Object.values((main as any).data.kubernetes_secret_v1) as any[];
      const input = secrets.find((s) => s.metadata.name === "hexproperty-prod-backup-credentials");
      return { condition: input.lifecycle.postcondition[0].condition, barman: named(kubeObjects(main), "Cluster", "hexproperty-prod-write").spec.backup.barmanObjectStore };
    };
    const s3 = keyChecked("s3://hexproperty-prod-pg-backups/write");
    expect(s3.condition).toContain('self.data["ACCESS_KEY_ID"]');
    const gs = keyChecked("gs://hexproperty-prod-pg/write");
    expect(gs.condition).toContain('self.data["credentials.json"]');
    expect(gs.barman.googleCredentials.applicationCredentials.key).toBe("credentials.json");
    const azure = keyChecked("https://hexpropertyprod.blob.core.windows.net/pg/write");
    expect(azure.condition).toContain('self.data["AZURE_CONNECTION_STRING"]');
    expect(azure.barman.azureCredentials.connectionString.key).toBe("AZURE_CONNECTION_STRING");
  });

  test("given a workloadIdentity annotation key Kubernetes would refuse, when validated, then one line names the key and the rule", () => {
    const bad = (key: string) => ({ stack: "portable", portable: { backup: { credentialsSecret: null, workloadIdentity: { serviceAccountAnnotations: { [key]: "x" } } } } });
    expect(() => environment("prod", bad("iam.gke.io/gcp service account"))).toThrow(/"iam\.gke\.io\/gcp service account".*a Kubernetes annotation key: an optional DNS subdomain prefix and '\/'/);
    expect(() => environment("prod", bad("Not_A.Prefix/key"))).toThrow(/a Kubernetes annotation key/);
    expect(() => environment("prod", bad("a/b/c"))).toThrow(/a Kubernetes annotation key/);
  });

  test("given no object store in config (dev), when synthesized, then there is no backup section and no ScheduledBackup", () => {
    expect(named(dev.objects, "Cluster", "hexproperty-dev-write").spec.backup).toBeUndefined();
    expect(dev.objects.filter((o) => o.kind === "ScheduledBackup")).toEqual([]);
  });

  test("given the cache, when synthesized, then Valkey requires AUTH from the generated Secret, runs in the mesh (STRICT mTLS is its transport encryption), and the manifest says so by reference", () => {
    const valkey = (ofType(dev.main, "helm_release") as any[]).find((r) => r.chart === "valkey");
    const values = JSON.parse(valkey.values[0]);
    expect(values).toMatchObject({ auth: { enabled: true, usersExistingSecret: "hexproperty-dev-cache-auth", aclUsers: { default: { passwordKey: "default" } } } });
    expect(values.tls).toBeUndefined();
    const manifest = (dev.main as any).output.runtime_manifest.value;
    expect(manifest.cache).toEqual({ kind: "redis", host: "hexproperty-dev-cache.hexproperty-dev.svc", port: 6379, tls: false, keyPrefix: "hexproperty-dev:", auth: { kind: "kubernetes-secret", name: "hexproperty-dev-cache-auth", key: "default", env: "REDIS_PASSWORD" } });
    expect(named(dev.objects, "PeerAuthentication", "default").spec).toEqual({ mtls: { mode: "STRICT" } });
    expect(named(dev.platformObjects, "Namespace", "hexproperty-dev").metadata.labels!["istio-injection"]).toBe("enabled");
    expect(manifest.writeStore.ca).toEqual({ kind: "kubernetes-secret", name: "hexproperty-dev-write-ca", key: "ca.crt", env: "POSTGRES_CA" });
  });

  test("given the stores' passwords, when synthesized, then a create-only Job generates them in the cluster (none in Terraform), and ClickHouse and Valkey wait for it", () => {
    const job = named(dev.objects, "Job", "hexproperty-dev-passwords");
    const pod = job.spec.template.spec;
    expect(pod.containers[0].env).toContainEqual({ name: "SECRETS", value: "hexproperty-dev-clickhouse-auth/password hexproperty-dev-cache-auth/default" });
    expect(pod.containers[0].image).toMatch(/^curlimages\/curl:\d+\.\d+\.\d+$/);
    expect(restrictedViolations(pod)).toEqual([]);
    expect(job.spec.template.metadata).toEqual({ annotations: { "sidecar.istio.io/inject": "false" } });
    expect(named(dev.objects, "Role", "hexproperty-dev-passwords").rules).toEqual([{ apiGroups: [""], resources: ["secrets"], verbs: ["create"] }]);
    expect(named(dev.objects, "ServiceAccount", "hexproperty-dev-passwords").automountServiceAccountToken).toBe(false);
    expect(named(dev.objects, "RoleBinding", "hexproperty-dev-passwords").subjects).toEqual([{ kind: "ServiceAccount", name: "hexproperty-dev-passwords", namespace: "hexproperty-dev" }]);
    expect(named(dev.objects, "NetworkPolicy", "hexproperty-dev-passwords-api").spec.podSelector).toEqual({ matchLabels: { "batch.kubernetes.io/job-name": "hexproperty-dev-passwords" } });
    const manifests = ofType(dev.main, "kubernetes_manifest") as any[];
    const jobResource = manifests.find((m) => m.manifest.kind === "Job");
    expect(jobResource.wait).toEqual({ condition: [{ type: "Complete", status: "True" }] });
    const jobAddress = Object.entries((dev.main as any).resource.kubernetes_manifest).find(([, m]: [string, any]) => m.manifest.kind === "Job")![0];
    expect(manifests.find((m) => m.manifest.kind === "ClickHouseInstallation").depends_on).toContain(`kubernetes_manifest.${jobAddress}`);
    expect((ofType(dev.main, "helm_release") as any[]).find((r) => r.chart === "valkey").depends_on).toContain(`kubernetes_manifest.${jobAddress}`);
    expect(ofKind(dev.objects, "Secret").map((s) => s.metadata.name)).toEqual(["hexproperty-dev-jwt-issuer"]);
  });

  test("given the object store credentials (external, issued by the cloud), when planned, then they are the one input: a data source stops the plan with how to create it", () => {
    const inputs = Object.values((prod.main as any).data.kubernetes_secret_v1).map((d: any) => d.metadata.name).sort();
    expect(inputs).toEqual(["hexproperty-prod-backup-credentials"]);
    for (const d of Object.values((prod.main as any).data.kubernetes_secret_v1) as any[]) expect(d.lifecycle.postcondition[0].error_message).toMatch(/is missing: create it/);
    expect((dev.main as any).data?.kubernetes_secret_v1).toBeUndefined();
  });
});
