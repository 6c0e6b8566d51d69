import { Construct } from "constructs";
import { FirestoreDatabase } from "@cdktf/provider-google/lib/firestore-database";
import { SpannerInstance } from "@cdktf/provider-google/lib/spanner-instance";
import { SpannerDatabase } from "@cdktf/provider-google/lib/spanner-database";
import { SpannerDatabaseIamMember } from "@cdktf/provider-google/lib/spanner-database-iam-member";
import { RedisInstance } from "@cdktf/provider-google/lib/redis-instance";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { SecretManagerSecretVersion } from "@cdktf/provider-google/lib/secret-manager-secret-version";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import type { Naming } from "../core/context";
import { GrantLedger, iamMember, type Identity } from "../core/identity";
import type { DataContract } from "./contract";
import { SPANNER_READ_MODEL_DDL } from "./read-model";

export interface GcpDataProps {
  readonly projectId: string;
  /** Region of every store and of the secret's replicas (data residency). */
  readonly region: string;
  readonly names: Naming;
  /** Spanner processing units of the read model. */
  readonly spannerProcessingUnits: number;
  readonly redisTier: "BASIC" | "STANDARD_HA";
  readonly redisMemoryGb: number;
  /** Databases refuse deletion and are abandoned, not deleted, on destroy. @default false */
  readonly deletionProtection?: boolean;
  /** Firestore point-in-time recovery. @default false */
  readonly pointInTimeRecovery?: boolean;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Firestore in Datastore mode (write), Spanner (read), Memorystore Redis with
 * AUTH and in-transit encryption (cache); the Redis AUTH string lives in
 * Secret Manager and reaches workloads only as a reference.
 */
export class GcpData extends Construct implements DataContract {
  readonly writeStore: DataContract["writeStore"];
  readonly readStore: DataContract["readStore"];
  readonly cache: DataContract["cache"];

  private readonly projectId: string;
  private readonly firestore: FirestoreDatabase;
  private readonly spanner: SpannerDatabase;
  private readonly instance: SpannerInstance;
  private readonly redisSecret: SecretManagerSecret;

  private readonly grants = new GrantLedger();

  constructor(scope: Construct, id: string, props: GcpDataProps) {
    super(scope, id);
    const { names } = props;
    const gcp = props;
    const env = { labels: props.labels ? { ...props.labels } : undefined };
    const protect = props.deletionProtection ?? false;
    this.projectId = gcp.projectId;

    this.firestore = new FirestoreDatabase(this, "write", {
      project: gcp.projectId,
      name: names.resource("write"),
      locationId: gcp.region,
      type: "DATASTORE_MODE",
      concurrencyMode: "OPTIMISTIC",
      pointInTimeRecoveryEnablement: props.pointInTimeRecovery ? "POINT_IN_TIME_RECOVERY_ENABLED" : "POINT_IN_TIME_RECOVERY_DISABLED",
      deleteProtectionState: protect ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED",
      deletionPolicy: protect ? "ABANDON" : "DELETE",
    });

    this.instance = new SpannerInstance(this, "read-instance", {
      project: gcp.projectId,
      name: names.resource("read"),
      config: `regional-${gcp.region}`,
      displayName: names.resource("read"),
      processingUnits: gcp.spannerProcessingUnits,
      labels: env.labels,
    });
    this.spanner = new SpannerDatabase(this, "read", {
      project: gcp.projectId,
      instance: this.instance.name,
      name: "hexproperty-read",
      ddl: [...SPANNER_READ_MODEL_DDL],
      deletionProtection: protect,
      versionRetentionPeriod: "1h",
    });

    const redis = new RedisInstance(this, "cache", {
      project: gcp.projectId,
      name: names.resource("cache"),
      region: gcp.region,
      tier: gcp.redisTier,
      memorySizeGb: gcp.redisMemoryGb,
      redisVersion: "REDIS_7_2",
      authEnabled: true,
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      connectMode: "PRIVATE_SERVICE_ACCESS",
      labels: env.labels,
    });
    this.redisSecret = new SecretManagerSecret(this, "cache-auth", {
      project: gcp.projectId,
      secretId: names.resource("cache-auth"),
      // Data residency: replicas only in the environment's region.
      replication: { userManaged: { replicas: [{ location: gcp.region }] } },
      labels: env.labels,
    });
    const version = new SecretManagerSecretVersion(this, "cache-auth-version", { secret: this.redisSecret.id, secretData: redis.authString });

    this.writeStore = { kind: "datastore", projectId: gcp.projectId, databaseId: this.firestore.name };
    this.readStore = { kind: "spanner", projectId: gcp.projectId, instance: this.instance.name, database: this.spanner.name };
    this.cache = {
      kind: "redis",
      host: redis.host,
      port: 6379,
      tls: true,
      auth: { kind: "secret-manager", name: `projects/${gcp.projectId}/secrets/${names.resource("cache-auth")}/versions/${version.version}` },
      keyPrefix: `${names.resource()}:`,
    };
  }

  grantWrite(identity: Identity): void {
    // Datastore IAM is project-wide; the condition narrows it to this one database.
    this.grants.once(`write-${identity.name}`, () => new ProjectIamMember(this, `write-${identity.name}`, {
      project: this.projectId,
      role: "roles/datastore.user",
      member: iamMember(identity),
      condition: { title: "hexproperty-write-db-only", expression: `resource.name == "projects/${this.projectId}/databases/${this.firestore.name}"` },
    }));
  }

  grantRead(identity: Identity): void {
    this.grants.once(`read-${identity.name}`, () => new SpannerDatabaseIamMember(this, `read-${identity.name}`, { project: this.projectId, instance: this.instance.name, database: this.spanner.name, role: "roles/spanner.databaseReader", member: iamMember(identity) }));
  }

  grantProject(identity: Identity): void {
    this.grants.once(`project-${identity.name}`, () => new SpannerDatabaseIamMember(this, `project-${identity.name}`, { project: this.projectId, instance: this.instance.name, database: this.spanner.name, role: "roles/spanner.databaseUser", member: iamMember(identity) }));
  }

  grantCache(identity: Identity): void {
    this.grants.once(`cache-${identity.name}`, () => new SecretManagerSecretIamMember(this, `cache-${identity.name}`, { project: this.projectId, secretId: this.redisSecret.secretId, role: "roles/secretmanager.secretAccessor", member: iamMember(identity) }));
  }
}
