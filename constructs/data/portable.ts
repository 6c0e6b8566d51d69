import { Construct } from "constructs";
import { Lazy } from "cdktf";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { KubeResource } from "../core/kube";
import type { Naming } from "../core/context";
import { CHARTS } from "../core/charts";
import { PinnedRelease } from "../core/helm";
import { CustomResource } from "../core/manifest";
import { kubernetesAccount, type Identity } from "../core/identity";
import type { DataContract } from "./contract";
import { ALLOWS_ANNOTATION, flowPolicy, GeneratedSecrets, inputSecret, quantities } from "../core/kube-workload";

/** Size of an operator-managed server: requests = limits. */
export interface ServerSize {
  /** CPU cores. */
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** Where CloudNativePG archives WAL and base backups (barman-cloud). */
export interface ObjectStoreBackup {
  /** s3://..., gs://... or an Azure blob URL. */
  readonly destinationPath: string;
  /** S3-compatible endpoint. @default - the provider's default */
  readonly endpointURL?: string;
  /** Secret (an input) with the object store credentials. @default - none: `workloadIdentity` */
  readonly credentialsSecret?: string;
  /** The cloud's workload identity instead of keys: annotations binding PostgreSQL's ServiceAccount to it. @default - none: `credentialsSecret` */
  readonly workloadIdentity?: { readonly serviceAccountAnnotations: Readonly<Record<string, string>> };
  /** Six-field cron (with seconds) of the base backups. */
  readonly schedule: string;
}

/**
 * The values this layer sets on the Valkey chart (valkey-io/valkey-helm values.yaml). No `tls`: Valkey's pods
 * are in the mesh, so client traffic is Istio mutual TLS (PeerAuthentication STRICT); see docs/portable.md.
 */
export interface ValkeyChartValues {
  readonly auth: { readonly enabled: true; readonly usersExistingSecret: string; readonly aclUsers: Readonly<Record<string, { readonly permissions: string; readonly passwordKey: string }>> };
  readonly resources: { readonly requests: { cpu: string; memory: string }; readonly limits: { cpu: string; memory: string } };
  readonly podSecurityContext: Record<string, unknown>;
  readonly securityContext: Record<string, unknown>;
}

export interface PortableDataProps {
  /** Namespace of the stores (the workloads' namespace). */
  readonly namespace: string;
  /** Namespace of the CloudNativePG and Altinity operators. */
  readonly operatorsNamespace: string;
  readonly names: Naming;
  readonly postgres: { readonly instances: number; readonly storageGi: number } & Partial<ServerSize>;
  readonly clickhouse: { readonly replicas: number; readonly storageGi: number } & Partial<ServerSize>;
  /** Valkey's size. @default - 0.25 cores, 256 MiB */
  readonly cache?: ServerSize;
  /** WAL archive and base backups of PostgreSQL (point-in-time recovery). @default - none */
  readonly backup?: ObjectStoreBackup;
  /** Days base backups are kept; 0: no scheduled base backups. @default 0 */
  readonly backupRetentionDays?: number;
  /** Namespace of Prometheus. @default - the operators' namespace */
  readonly monitoringNamespace?: string;
  /** @default - the cluster's default storage class */
  readonly storageClass?: string;
  /** Where the operators (and their CRDs) go. @default - this construct */
  readonly platform?: Construct;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * PostgreSQL by CloudNativePG (write), ClickHouse by the Altinity operator
 * (read), Valkey from its maintainers' chart (cache). Operators and CRDs go to
 * the platform stack; the clusters to the workload stack. Credentials stay in
 * Kubernetes Secrets and reach workloads only as references.
 */
export class PortableData extends Construct implements DataContract {
  readonly writeStore: DataContract["writeStore"];
  readonly readStore: DataContract["readStore"];
  readonly cache: DataContract["cache"];
  /** Workloads (pods labelled app.kubernetes.io/name=<workload>) allowed to reach each store, filled by the grants. */
  private readonly clients = { write: new Set<string>(), read: new Set<string>(), cache: new Set<string>() };

  /** The Secret (key `password`) of ClickHouse's `hexproperty` user, generated in the cluster (GeneratedSecrets). */
  readonly clickhouseAuthSecret: string;
  private readonly namespace: string;
  private readonly operatorsNamespace: string;
  private readonly labels?: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: PortableDataProps) {
    super(scope, id);
    const { names } = props;
    const portable = props;
    const ns = props.namespace;
    const env = { labels: props.labels ? { ...props.labels } : undefined };
    this.namespace = ns;
    this.operatorsNamespace = props.operatorsNamespace;
    this.labels = props.labels;
    const platform = props.platform ?? this;
    const storageClass = portable.storageClass ? { storageClass: portable.storageClass } : {};
    const retentionDays = props.backupRetentionDays ?? 0;

    new PinnedRelease(platform, "cnpg-operator", { pin: CHARTS.cloudnativePg, name: "cnpg", namespace: portable.operatorsNamespace });
    new PinnedRelease(platform, "clickhouse-operator", { pin: CHARTS.clickhouseOperator, name: "clickhouse-operator", namespace: portable.operatorsNamespace });

    const pgCluster = names.resource("write");
    new CustomResource(this, "postgres", {
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Cluster",
      name: pgCluster,
      namespace: ns,
      labels: env.labels,
      spec: {
        instances: portable.postgres.instances,
        storage: { size: `${portable.postgres.storageGi}Gi`, ...storageClass },
        bootstrap: { initdb: { database: "hexproperty", owner: "hexproperty" } },
        enableSuperuserAccess: false,
        postgresql: { parameters: { max_connections: "200" } },
        resources: size(portable.postgres, 0.5, 1024),
        ...(props.backup?.workloadIdentity ? { serviceAccountTemplate: { metadata: { annotations: { ...props.backup.workloadIdentity.serviceAccountAnnotations } } } } : {}),
        ...(props.backup ? { backup: {
          ...(retentionDays > 0 ? { retentionPolicy: `${retentionDays}d` } : {}),
          barmanObjectStore: {
            destinationPath: props.backup.destinationPath,
            ...(props.backup.endpointURL ? { endpointURL: props.backup.endpointURL } : {}),
            ...objectStoreCredentials(props.backup),
            wal: { compression: "gzip" },
            data: { compression: "gzip" },
          },
        } } : {}),
      },
    });
    if (props.backup) {
      if (props.backup.credentialsSecret) {
        inputSecret(this, "backup-credentials", { namespace: this.namespace, name: props.backup.credentialsSecret, key: CREDENTIALS_KEY[objectStoreOf(props.backup.destinationPath)], what: "the object store credentials of the PostgreSQL backups" });
      }
      if (retentionDays > 0) new CustomResource(this, "postgres-backup", {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "ScheduledBackup",
        name: names.resource("write-daily"),
        namespace: ns,
        labels: env.labels,
        spec: { schedule: props.backup.schedule, cluster: { name: pgCluster }, backupOwnerReference: "self", method: "barmanObjectStore", immediate: true },
      });
    }

    const chName = names.resource("read");
    this.clickhouseAuthSecret = names.resource("clickhouse-auth");
    const cacheRelease = names.resource("cache");
    const cacheAuth = `${cacheRelease}-auth`;
    // The stores' passwords are generated in the cluster (never in Terraform state) before the stores start.
    const passwords = new GeneratedSecrets(this, "passwords", {
      namespace: ns, name: names.resource("passwords"), labels: props.labels,
      secrets: [{ name: this.clickhouseAuthSecret, key: "password" }, { name: cacheAuth, key: "default" }],
    });
    const clickhouse = new CustomResource(this, "clickhouse", {
      apiVersion: "clickhouse.altinity.com/v1",
      kind: "ClickHouseInstallation",
      name: chName,
      namespace: ns,
      labels: env.labels,
      spec: {
        configuration: {
          clusters: [{ name: "main", layout: { shardsCount: 1, replicasCount: portable.clickhouse.replicas } }],
          // The operator reads the password from the generated Secret; it never appears here.
          users: { "hexproperty/k8s_secret_password": `${ns}/${this.clickhouseAuthSecret}/password`, "hexproperty/networks/ip": ["10.0.0.0/8"] },
        },
        defaults: { templates: { dataVolumeClaimTemplate: "data", podTemplate: "server" } },
        templates: {
          podTemplates: [{
            name: "server",
            spec: {
              securityContext: { runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, fsGroup: 101, seccompProfile: { type: "RuntimeDefault" } },
              containers: [{
                name: "clickhouse",
                image: CLICKHOUSE_IMAGE,
                // The image's entrypoint creates this database at start (IF NOT EXISTS); the runtime's ClickHouse adapter creates the read-model tables in it (migrate()).
                env: [{ name: "CLICKHOUSE_DB", value: "hexproperty" }, { name: "CLICKHOUSE_DO_NOT_CHOWN", value: "1" }],
                resources: size(portable.clickhouse, 1, 2048),
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true },
              }],
            },
          }],
          volumeClaimTemplates: [{ name: "data", spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${portable.clickhouse.storageGi}Gi` } }, ...(portable.storageClass ? { storageClassName: portable.storageClass } : {}) } }] },
      },
    });

    clickhouse.dependOn(passwords.job.resource);
    const cacheSize = quantities(props.cache?.cpu ?? 0.25, props.cache?.memoryMiB ?? 256);
    const valkey: ValkeyChartValues = {
      auth: { enabled: true, usersExistingSecret: cacheAuth, aclUsers: { default: { permissions: "~* &* +@all", passwordKey: "default" } } },
      resources: { requests: cacheSize, limits: cacheSize },
      podSecurityContext: { fsGroup: 1000, runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000 },
    };
    new PinnedRelease(this, "cache", { pin: CHARTS.valkey, name: cacheRelease, namespace: ns, values: valkey as unknown as Record<string, unknown>, dependsOn: [passwords.job.resource] });

    // Default deny: each store admits its own peers, the operators, and exactly the granted workloads.
    this.storeAccess("write-access", names, { "cnpg.io/cluster": pgCluster }, [5432], this.clients.write);
    this.storeAccess("read-access", names, { "clickhouse.altinity.com/chi": chName }, [8123, 9000], this.clients.read);
    this.storeAccess("cache-access", names, { "app.kubernetes.io/instance": cacheRelease }, [6379], this.clients.cache);

    this.writeStore = {
      kind: "postgres", host: `${pgCluster}-rw.${ns}.svc`, port: 5432, database: "hexproperty", user: "hexproperty",
      password: { kind: "kubernetes-secret", name: `${pgCluster}-app`, key: "password", env: "POSTGRES_PASSWORD" }, ssl: true,
      // CloudNativePG's server certificates are signed by the CA it publishes in <cluster>-ca.
      ca: { kind: "kubernetes-secret", name: `${pgCluster}-ca`, key: "ca.crt", env: "POSTGRES_CA" },
    };
    this.readStore = { kind: "clickhouse", url: `http://clickhouse-${chName}.${ns}.svc:8123`, database: "hexproperty", user: "hexproperty", password: { kind: "kubernetes-secret", name: this.clickhouseAuthSecret, key: "password", env: "CLICKHOUSE_PASSWORD" } };
    this.cache = {
      // tls false: the runtime speaks to its own sidecar; between the sidecars the connection is Istio mutual TLS (STRICT).
      kind: "redis", host: `${cacheRelease}.${ns}.svc`, port: 6379, tls: false, keyPrefix: `${names.resource()}:`,
      auth: { kind: "kubernetes-secret", name: cacheAuth, key: "default", env: "REDIS_PASSWORD" },
    };
  }

  grantWrite(identity: Identity): void {
    this.clients.write.add(kubernetesAccount(identity).name);
  }

  grantRead(identity: Identity): void {
    this.clients.read.add(kubernetesAccount(identity).name);
  }

  /** Projections are written to the read store, so the projector reaches ClickHouse. */
  grantProject(identity: Identity): void {
    this.clients.read.add(kubernetesAccount(identity).name);
  }

  grantCache(identity: Identity): void {
    this.clients.cache.add(kubernetesAccount(identity).name);
  }

  private storeAccess(id: string, names: Naming, selector: Record<string, string>, ports: number[], clients: ReadonlySet<string>): void {
    const granted = Lazy.listValue({ produce: () => [...clients].sort() }) as unknown as string[];
    const common = { namespace: this.namespace, labels: this.labels };
    flowPolicy(this, `${id}-egress`, { ...common, name: names.resource(`${id}-egress`), subject: { workloads: granted }, direction: "Egress", peers: [{ pods: selector }], ports, reason: `catalog: dataAccess (${id.replace("-access", "")} use)` });
    flowPolicy(this, `${id}-internal`, { ...common, name: names.resource(`${id}-internal`), subject: { pods: selector }, direction: "Egress", peers: [{ pods: selector }], reason: "platform: replication among the store's own instances" });
    // CloudNativePG's instance manager and the Altinity/Valkey pods reach the Kubernetes API; PostgreSQL archives to the object store (https).
    flowPolicy(this, `${id}-external`, { ...common, name: names.resource(`${id}-external`), subject: { pods: selector }, direction: "Egress", peers: [{ cidr: "0.0.0.0/0" }], ports: [443, 6443], reason: "platform: the Kubernetes API (instance managers) and the backup object store" });
    new KubeResource<INetworkPolicy>(this, id, {
      object: {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: {
          name: names.resource(id), namespace: this.namespace, labels: this.labels ? { ...this.labels } : undefined,
          annotations: { [ALLOWS_ANNOTATION]: `catalog: dataAccess (${id.replace("-access", "")} use); platform: the store's own instances and its operator` },
        },
        spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress"],
        ingress: [
          { from: [{ podSelector: { matchLabels: selector } }, { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": this.operatorsNamespace } } }] },
          {
            from: [{ podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: Lazy.listValue({ produce: () => [...clients].sort() }) }] } }],
            ports: ports.map((port) => ({ port, protocol: "TCP" })),
          },
        ],
        },
      },
    });
  }
}

/** The ClickHouse server image the Altinity operator runs (pinned; the operator's default is a floating tag). */
const CLICKHOUSE_IMAGE = "clickhouse/clickhouse-server:25.8";

function size(s: Partial<ServerSize>, cpu: number, memoryMiB: number): { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } } {
  const q = quantities(s.cpu ?? cpu, s.memoryMiB ?? memoryMiB);
  return { requests: q, limits: q };
}

type ObjectStore = "gs" | "azure" | "s3";

/** The object store a barman-cloud destination path is on: gs://, an Azure blob https:// URL, or s3://. */
function objectStoreOf(destinationPath: string): ObjectStore {
  return destinationPath.startsWith("gs://") ? "gs" : destinationPath.startsWith("https://") ? "azure" : "s3";
}

/** The key of the input credentials Secret that barman-cloud reads, per object store (s3 also reads ACCESS_SECRET_KEY). */
const CREDENTIALS_KEY: Readonly<Record<ObjectStore, string>> = { gs: "credentials.json", azure: "AZURE_CONNECTION_STRING", s3: "ACCESS_KEY_ID" };

/** barman-cloud credentials: the cloud's workload identity, or a reference to the input Secret (s3 keys, a Google credentials file or an Azure connection string). */
function objectStoreCredentials(b: ObjectStoreBackup): Record<string, unknown> {
  const store = objectStoreOf(b.destinationPath);
  const secret = b.credentialsSecret;
  if (!secret) return { gs: { googleCredentials: { gkeEnvironment: true } }, azure: { azureCredentials: { inheritFromAzureAD: true } }, s3: { s3Credentials: { inheritFromIAMRole: true } } }[store];
  const key = CREDENTIALS_KEY[store];
  if (store === "gs") return { googleCredentials: { applicationCredentials: { name: secret, key } } };
  if (store === "azure") return { azureCredentials: { connectionString: { name: secret, key } } };
  return { s3Credentials: { accessKeyId: { name: secret, key }, secretAccessKey: { name: secret, key: "ACCESS_SECRET_KEY" } } };
}
