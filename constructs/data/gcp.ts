import { Construct } from "constructs";
import { FirestoreDatabase } from "@cdktf/provider-google/lib/firestore-database";
import { FirestoreBackupSchedule } from "@cdktf/provider-google/lib/firestore-backup-schedule";
import { SpannerInstance } from "@cdktf/provider-google/lib/spanner-instance";
import { SpannerDatabase } from "@cdktf/provider-google/lib/spanner-database";
import { SpannerBackupSchedule } from "@cdktf/provider-google/lib/spanner-backup-schedule";
import { SpannerDatabaseIamMember } from "@cdktf/provider-google/lib/spanner-database-iam-member";
import { RedisInstance } from "@cdktf/provider-google/lib/redis-instance";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { SecretManagerSecretVersion } from "@cdktf/provider-google/lib/secret-manager-secret-version";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ProjectIamCustomRole } from "@cdktf/provider-google/lib/project-iam-custom-role";
import type { SecretRef } from "@hexproperty/runtime/manifest";
import type { Naming } from "../core/context";
import { enableApis } from "../core/gcp-apis";
import { GrantLedger, iamMember, type Identity } from "../core/identity";
import type { IGcpNetwork } from "../network/gcp";
import { unknownWriteOwner } from "../errors";
import type { DataContract } from "./contract";
import { SPANNER_READ_MODEL_DDL } from "./read-model";

export interface GcpDataProps {
  readonly projectId: string;
  /** Region of every store and of the secrets' replicas (data residency). */
  readonly region: string;
  readonly names: Naming;
  /** Spanner processing units of the read model. */
  readonly spannerProcessingUnits: number;
  readonly redisTier: "BASIC" | "STANDARD_HA";
  readonly redisMemoryGb: number;
  /**
   * Workloads that own write data: each gets its own Firestore database and
   * only its own (grantWrite). @default - one database, `<env>-write`, for every writer
   */
  readonly writeOwners?: readonly string[];
  /** The VPC Memorystore is peered into (Private Service Access). @default - Memorystore's default, the project's `default` network */
  readonly network?: IGcpNetwork;
  /** Databases refuse deletion and are abandoned, not deleted, on destroy. @default false */
  readonly deletionProtection?: boolean;
  /** Firestore point-in-time recovery. @default false */
  readonly pointInTimeRecovery?: boolean;
  /** Days daily backups of every database are kept; 0: no backup schedule. @default 0 */
  readonly backupRetentionDays?: number;
  /** Hours Spanner keeps old versions of the read model (stale reads, point-in-time restore). @default 1 */
  readonly readVersionRetentionHours?: number;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

const SHARED = "";

/**
 * Firestore in Datastore mode (write; one database per owning workload),
 * Spanner (read), Memorystore Redis with AUTH and in-transit encryption
 * (cache); the Redis AUTH string and its server CA live in Secret Manager,
 * replicated only in the region, and reach workloads only as references.
 * Backups and version retention come from props.
 */
export class GcpData extends Construct implements DataContract {
  readonly writeStore: DataContract["writeStore"];
  readonly readStore: DataContract["readStore"];
  readonly cache: DataContract["cache"];
  readonly secretSources = new Map<string, { secret: string; version: string }>();

  private readonly projectId: string;
  private readonly databases = new Map<string, FirestoreDatabase>();
  private readonly spanner: SpannerDatabase;
  private readonly instance: SpannerInstance;
  private readonly databaseMetadata: ProjectIamCustomRole;
  private readonly secrets: SecretManagerSecret[];

  private readonly grants = new GrantLedger();

  constructor(scope: Construct, id: string, props: GcpDataProps) {
    super(scope, id);
    const { names, projectId, region } = props;
    const labels = props.labels ? { ...props.labels } : undefined;
    const protect = props.deletionProtection ?? false;
    const backupDays = props.backupRetentionDays ?? 0;
    this.projectId = projectId;
    const apis = enableApis(this, projectId, ["firestore.googleapis.com", "spanner.googleapis.com", "redis.googleapis.com", "secretmanager.googleapis.com"]);

    const owners = props.writeOwners && props.writeOwners.length > 0 ? props.writeOwners : [SHARED];
    for (const owner of owners) {
      const suffix = owner === SHARED ? "" : `-${owner}-db`;
      const database = new FirestoreDatabase(this, `write${suffix}`, {
        project: projectId,
        name: owner === SHARED ? names.resource("write") : names.resource("write", owner),
        locationId: region,
        type: "DATASTORE_MODE",
        concurrencyMode: "OPTIMISTIC",
        pointInTimeRecoveryEnablement: props.pointInTimeRecovery ? "POINT_IN_TIME_RECOVERY_ENABLED" : "POINT_IN_TIME_RECOVERY_DISABLED",
        deleteProtectionState: protect ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED",
        deletionPolicy: protect ? "ABANDON" : "DELETE",
        dependsOn: apis,
      });
      if (backupDays > 0) new FirestoreBackupSchedule(this, `write${suffix}-backups`, { project: projectId, database: database.name, retention: `${backupDays * 86400}s`, dailyRecurrence: {} });
      this.databases.set(owner, database);
    }

    this.instance = new SpannerInstance(this, "read-instance", {
      project: projectId,
      name: names.resource("read"),
      config: `regional-${region}`,
      displayName: names.resource("read"),
      processingUnits: props.spannerProcessingUnits,
      // Backups follow backupRetentionDays only, not Spanner's automatic default schedule.
      defaultBackupScheduleType: "NONE",
      labels,
      dependsOn: apis,
    });
    this.spanner = new SpannerDatabase(this, "read", {
      project: projectId,
      instance: this.instance.name,
      name: "hexproperty-read",
      ddl: [...SPANNER_READ_MODEL_DDL],
      deletionProtection: protect,
      versionRetentionPeriod: `${props.readVersionRetentionHours ?? 1}h`,
    });
    // The runtime's Spanner adapter checks the database exists (GetDatabase) before every use; neither
    // databaseReader nor databaseUser carries spanner.databases.get, so this one permission is its own role.
    this.databaseMetadata = new ProjectIamCustomRole(this, "read-metadata-role", {
      project: projectId,
      roleId: `hexproperty_${names.environment.replace(/-/g, "_")}_read_metadata`,
      title: `HexProperty ${names.environment} read model metadata`,
      description: "Get the read model's Spanner database (existence check); no data access.",
      permissions: ["spanner.databases.get"],
      stage: "GA",
    });
    if (backupDays > 0) {
      new SpannerBackupSchedule(this, "read-backups", {
        project: projectId,
        instance: this.instance.name,
        database: this.spanner.name,
        name: "daily",
        retentionDuration: `${backupDays * 86400}s`,
        spec: { cronSpec: { text: "0 2 * * *" } },
        fullBackupSpec: {},
      });
    }

    const network = props.network;
    const redis = new RedisInstance(this, "cache", {
      project: projectId,
      name: names.resource("cache"),
      region,
      tier: props.redisTier,
      memorySizeGb: props.redisMemoryGb,
      redisVersion: "REDIS_7_2",
      authEnabled: true,
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      connectMode: "PRIVATE_SERVICE_ACCESS",
      ...(network ? { authorizedNetwork: network.networkId, reservedIpRange: network.serviceAccessRange } : {}),
      labels,
      dependsOn: network ? [...apis, network.serviceAccess] : apis,
    });
    const auth = this.secret("cache-auth", redis.authString, props, labels);
    // Memorystore signs its TLS certificate with its own CA; the runtime trusts exactly that one.
    const ca = this.secret("cache-ca", redis.serverCaCerts.get(0).cert, props, labels);
    this.secrets = [auth.secret, ca.secret];

    const primary = this.databases.values().next().value as FirestoreDatabase;
    this.writeStore = this.writeStoreIn(primary);
    this.readStore = { kind: "spanner", projectId, instance: this.instance.name, database: this.spanner.name };
    this.cache = { kind: "redis", host: redis.host, port: 6379, tls: true, auth: auth.ref, ca: ca.ref, keyPrefix: `${names.resource()}:` };
  }

  /** The write store `workload` owns (its own database, or the shared one); undefined when it owns none. */
  writeStoreOf(workload: string): DataContract["writeStore"] | undefined {
    const database = this.databases.get(workload) ?? this.databases.get(SHARED);
    return database ? this.writeStoreIn(database) : undefined;
  }

  private writeStoreIn(database: FirestoreDatabase): DataContract["writeStore"] {
    return { kind: "datastore", projectId: this.projectId, databaseId: database.name };
  }

  grantWrite(identity: Identity): void {
    const database = this.database(identity.name);
    // Datastore IAM is project-wide; the condition narrows it to the workload's own database.
    this.grants.once(`write-${identity.name}`, () => new ProjectIamMember(this, `write-${identity.name}`, {
      project: this.projectId,
      role: "roles/datastore.user",
      member: iamMember(identity),
      condition: { title: `hexproperty-write-${identity.name}-db-only`, expression: `resource.name == "projects/${this.projectId}/databases/${database.name}"` },
    }));
  }

  grantRead(identity: Identity): void {
    this.grants.once(`read-${identity.name}`, () => new SpannerDatabaseIamMember(this, `read-${identity.name}`, { project: this.projectId, instance: this.instance.name, database: this.spanner.name, role: "roles/spanner.databaseReader", member: iamMember(identity) }));
    this.grantReadMetadata(identity);
  }

  grantProject(identity: Identity): void {
    this.grants.once(`project-${identity.name}`, () => new SpannerDatabaseIamMember(this, `project-${identity.name}`, { project: this.projectId, instance: this.instance.name, database: this.spanner.name, role: "roles/spanner.databaseUser", member: iamMember(identity) }));
    this.grantReadMetadata(identity);
  }

  private grantReadMetadata(identity: Identity): void {
    this.grants.once(`read-metadata-${identity.name}`, () => new SpannerDatabaseIamMember(this, `read-metadata-${identity.name}`, { project: this.projectId, instance: this.instance.name, database: this.spanner.name, role: this.databaseMetadata.name, member: iamMember(identity) }));
  }

  grantCache(identity: Identity): void {
    for (const secret of this.secrets) {
      const key = `${secret.node.id}-${identity.name}`;
      this.grants.once(key, () => new SecretManagerSecretIamMember(this, key, { project: this.projectId, secretId: secret.secretId, role: "roles/secretmanager.secretAccessor", member: iamMember(identity) }));
    }
  }

  private database(workload: string): FirestoreDatabase {
    const database = this.databases.get(workload) ?? this.databases.get(SHARED);
    if (!database) throw unknownWriteOwner(workload, [...this.databases.keys()]);
    return database;
  }

  private secret(id: string, value: string, props: GcpDataProps, labels: Record<string, string> | undefined): { secret: SecretManagerSecret; ref: SecretRef } {
    const secretId = props.names.resource(id);
    const secret = new SecretManagerSecret(this, id, {
      project: props.projectId,
      secretId,
      // Data residency: replicas only in the environment's region.
      replication: { userManaged: { replicas: [{ location: props.region }] } },
      labels,
    });
    const version = new SecretManagerSecretVersion(this, `${id}-version`, { secret: secret.id, secretData: value });
    const ref = { kind: "secret-manager", name: `projects/${props.projectId}/secrets/${secretId}/versions/${version.version}` } as const;
    this.secretSources.set(ref.name, { secret: secret.secretId, version: version.version });
    return { secret, ref };
  }
}
