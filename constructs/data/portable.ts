import { Construct } from "constructs";
import { platformScope, type LayerContext } from "../core/context";
import { CHARTS } from "../core/charts";
import { PinnedRelease } from "../core/helm";
import { CustomResource } from "../core/manifest";
import { kubernetesAccount, type Identity } from "../core/identity";
import type { DataContract } from "./contract";

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
  /** Workload service accounts allowed to reach each store (used by the mesh's AuthorizationPolicies). */
  readonly access = { write: [] as string[], read: [] as string[], project: [] as string[], cache: [] as string[] };

  constructor(scope: Construct, id: string, ctx: LayerContext) {
    super(scope, id);
    const { env, names } = ctx;
    const portable = env.portable!;
    const ns = portable.namespace;
    const storageClass = portable.storageClass ? { storageClass: portable.storageClass } : {};

    new PinnedRelease(platformScope(ctx, id), "cnpg-operator", { pin: CHARTS.cloudnativePg, name: "cnpg", namespace: portable.operatorsNamespace });
    new PinnedRelease(platformScope(ctx, id), "clickhouse-operator", { pin: CHARTS.clickhouseOperator, name: "clickhouse-operator", namespace: portable.operatorsNamespace });

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
          users: { "hexproperty/k8s_secret_password": `${ns}/${names.resource("clickhouse-auth")}/password`, "hexproperty/networks/ip": ["10.0.0.0/8"] },
        },
        defaults: { templates: { dataVolumeClaimTemplate: "data" } },
        templates: { volumeClaimTemplates: [{ name: "data", spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${portable.clickhouse.storageGi}Gi` } }, ...(portable.storageClass ? { storageClassName: portable.storageClass } : {}) } }] },
      },
    });

    const cacheRelease = names.resource("cache");
    new PinnedRelease(this, "cache", { pin: CHARTS.valkey, name: cacheRelease, namespace: ns });

    this.writeStore = { kind: "postgres", host: `${pgCluster}-rw.${ns}.svc`, port: 5432, database: "hexproperty", user: "hexproperty", password: { kind: "kubernetes-secret", name: `${pgCluster}-app`, key: "password", env: "POSTGRES_PASSWORD" }, ssl: true };
    this.readStore = { kind: "clickhouse", url: `http://clickhouse-${chName}.${ns}.svc:8123`, database: "hexproperty", user: "hexproperty", password: { kind: "kubernetes-secret", name: names.resource("clickhouse-auth"), key: "password", env: "CLICKHOUSE_PASSWORD" } };
    this.cache = { kind: "redis", host: `${cacheRelease}.${ns}.svc`, port: 6379, tls: false, keyPrefix: `${names.resource()}:` };
  }

  grantWrite(identity: Identity): void {
    this.access.write.push(kubernetesAccount(identity).name);
  }

  grantRead(identity: Identity): void {
    this.access.read.push(kubernetesAccount(identity).name);
  }

  grantProject(identity: Identity): void {
    this.access.project.push(kubernetesAccount(identity).name);
  }

  grantCache(identity: Identity): void {
    this.access.cache.push(kubernetesAccount(identity).name);
  }
}
