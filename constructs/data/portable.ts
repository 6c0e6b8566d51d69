import { Construct } from "constructs";
import { Lazy } from "cdktf";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { KubeResource } from "../core/kube";
import { DataKubernetesSecretV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1";
import type { Naming } from "../core/context";
import { CHARTS } from "../core/charts";
import { PinnedRelease } from "../core/helm";
import { CustomResource } from "../core/manifest";
import { kubernetesAccount, type Identity } from "../core/identity";
import type { DataContract } from "./contract";

export interface PortableDataProps {
  /** Namespace of the stores (the workloads' namespace). */
  readonly namespace: string;
  /** Namespace of the CloudNativePG and Altinity operators. */
  readonly operatorsNamespace: string;
  readonly names: Naming;
  readonly postgres: { readonly instances: number; readonly storageGi: number };
  readonly clickhouse: { readonly replicas: number; readonly storageGi: number };
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

  /** The Secret (key `password`) the platform team creates before the workload stack; see docs/architecture.md "Inputs". */
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
      },
    });

    const chName = names.resource("read");
    this.clickhouseAuthSecret = names.resource("clickhouse-auth");
    // An input, not created here (a password in Terraform state is avoided): the plan stops with this message when it is missing.
    new DataKubernetesSecretV1(this, "clickhouse-auth", {
      metadata: { name: this.clickhouseAuthSecret, namespace: ns },
      lifecycle: {
        postcondition: [{
          condition: '${can(self.data["password"])}',
          errorMessage: `Secret ${ns}/${this.clickhouseAuthSecret} with key "password" is missing: create it before deploying this stack (kubectl -n ${ns} create secret generic ${this.clickhouseAuthSecret} --from-literal=password=<password>); see docs/architecture.md "Inputs".`,
        }],
      },
    });
    new CustomResource(this, "clickhouse", {
      apiVersion: "clickhouse.altinity.com/v1",
      kind: "ClickHouseInstallation",
      name: chName,
      namespace: ns,
      labels: env.labels,
      spec: {
        configuration: {
          clusters: [{ name: "main", layout: { shardsCount: 1, replicasCount: portable.clickhouse.replicas } }],
          // The password is read from a Secret the platform team provisions; it never appears here.
          users: { "hexproperty/k8s_secret_password": `${ns}/${this.clickhouseAuthSecret}/password`, "hexproperty/networks/ip": ["10.0.0.0/8"] },
        },
        defaults: { templates: { dataVolumeClaimTemplate: "data" } },
        templates: { volumeClaimTemplates: [{ name: "data", spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${portable.clickhouse.storageGi}Gi` } }, ...(portable.storageClass ? { storageClassName: portable.storageClass } : {}) } }] },
      },
    });

    const cacheRelease = names.resource("cache");
    new PinnedRelease(this, "cache", { pin: CHARTS.valkey, name: cacheRelease, namespace: ns });

    // Default deny: each store admits its own peers, the operators, and exactly the granted workloads.
    this.storeAccess("write-access", names, { "cnpg.io/cluster": pgCluster }, [5432], this.clients.write);
    this.storeAccess("read-access", names, { "clickhouse.altinity.com/chi": chName }, [8123, 9000], this.clients.read);
    this.storeAccess("cache-access", names, { "app.kubernetes.io/instance": cacheRelease }, [6379], this.clients.cache);

    this.writeStore = { kind: "postgres", host: `${pgCluster}-rw.${ns}.svc`, port: 5432, database: "hexproperty", user: "hexproperty", password: { kind: "kubernetes-secret", name: `${pgCluster}-app`, key: "password", env: "POSTGRES_PASSWORD" }, ssl: true };
    this.readStore = { kind: "clickhouse", url: `http://clickhouse-${chName}.${ns}.svc:8123`, database: "hexproperty", user: "hexproperty", password: { kind: "kubernetes-secret", name: this.clickhouseAuthSecret, key: "password", env: "CLICKHOUSE_PASSWORD" } };
    this.cache = { kind: "redis", host: `${cacheRelease}.${ns}.svc`, port: 6379, tls: false, keyPrefix: `${names.resource()}:` };
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
    new KubeResource<INetworkPolicy>(this, id, {
      object: {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: names.resource(id), namespace: this.namespace, labels: this.labels ? { ...this.labels } : undefined },
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
