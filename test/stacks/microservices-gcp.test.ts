import { runtimeManifestSchema } from "@hexproperty/runtime/manifest";
import { ENVIRONMENTS } from "../../environments";
import { withoutInterpolations } from "../support/interpolation";
import { environment, environments, ofType, synthAll } from "../support/synth";

const stack = synthAll([environment("staging", { gcp: { operators: ["group:hexproperty-platform@hexproperty.example"] } })])["hexproperty-staging"]!;
const services = ofType(stack, "google_cloud_run_v2_service");
const service = (name: string) => services.find((s) => s.name === `hexproperty-staging-${name}`)! as Record<string, any>;
const container = (name: string) => service(name).template.containers[0];
const env = (name: string, variable: string) => (container(name).env as Array<{ name: string; value: string }>).find((e) => e.name === variable)?.value;

describe("gcp microservices (Cloud Run)", () => {
  test("given the domain's services, when synthesized, then each runs as its own service account", () => {
    for (const s of ["property", "leasing", "search"]) expect(service(s).template.service_account).toMatch(new RegExp(`^\\$\\{google_service_account\\.microservices_${s}-sa_[0-9A-F]+\\.email\\}$`));
  });

  test("given image digests in config, when synthesized, then each image is pulled by digest from the environment's Artifact Registry repository", () => {
    const digest = ENVIRONMENTS.staging!.gcp!.imageDigests.leasing;
    expect(container("leasing").image).toBe(`europe-west1-docker.pkg.dev/hexproperty-staging/hexproperty-staging-images/leasing@${digest}`);
    expect(ofType(stack, "google_artifact_registry_repository")[0]).toMatchObject({ format: "DOCKER", docker_config: { immutable_tags: true } });
  });

  test("given services.<name> in config, when synthesized, then instances, vCPU and memory follow it", () => {
    expect(service("search").template.scaling).toEqual({ min_instance_count: 1, max_instance_count: 5 });
    expect(container("search").resources).toMatchObject({ limits: { cpu: "1", memory: "512Mi" }, cpu_idle: true, startup_cpu_boost: true });
    expect(service("search").template.max_instance_request_concurrency).toBe(80);
  });

  test("given a service below 1 vCPU, when synthesized, then Cloud Run's rules for it hold: concurrency 1, first-generation environment, request-based CPU", () => {
    const dev = synthAll(environments({ dev: { stack: "gcp" } }).filter((e) => e.name === "dev"))["hexproperty-dev"]!;
    const property = ofType(dev, "google_cloud_run_v2_service").find((s) => s.name === "hexproperty-dev-property")! as Record<string, any>;
    expect(property.template).toMatchObject({ max_instance_request_concurrency: 1, execution_environment: "EXECUTION_ENVIRONMENT_GEN1" });
    expect(property.template.containers[0].resources).toMatchObject({ limits: { cpu: "500m" }, cpu_idle: true });
  });

  test("given the health route, when synthesized, then startup and liveness probes call it on the container port", () => {
    expect(container("property").startup_probe).toMatchObject({ http_get: { path: "/healthz", port: 8080 }, failure_threshold: 24 });
    expect(container("property").liveness_probe).toMatchObject({ http_get: { path: "/healthz", port: 8080 } });
    expect(container("property").ports).toEqual({ container_port: 8080 });
  });

  test("given the runtime manifest, when synthesized, then each service gets it as HEXPROPERTY_MANIFEST (valid JSON with references only) and listens on all interfaces", () => {
    const text = env("leasing", "HEXPROPERTY_MANIFEST")!;
    const manifest = JSON.parse(withoutInterpolations(text)) as Record<string, any>;
    expect(runtimeManifestSchema.safeParse(manifest).success).toBe(true);
    expect(manifest.writeStore.databaseId).toMatch(/google_firestore_database\.data_write-leasing-db_/);
    expect(manifest.cache.auth.kind).toBe("secret-manager");
    expect(text).not.toMatch(/auth_string|secret_data/);
    expect(env("leasing", "HOST")).toBe("0.0.0.0");
  });

  type SecretEnv = { name: string; value?: string; value_source?: { secret_key_ref: { secret: string; version: string } } };
  const mounted = (c: Record<string, any>) => (c.env as SecretEnv[]).filter((e) => e.value_source);

  test("given Secret Manager references in the manifest, when synthesized, then each one of a backend the service uses is mounted from Secret Manager as the variable the runtime reads, never as a value", () => {
    const secrets = mounted(container("search"));
    expect(secrets.map((e) => [e.name, e.value_source!.secret_key_ref.secret, e.value])).toEqual([
      ["HEXPROPERTY_SECRET_HEXPROPERTY_STAGING_CACHE_AUTH", expect.stringMatching(/^\$\{google_secret_manager_secret\.data_cache-auth_[0-9A-F]+\.secret_id\}$/), undefined],
      ["HEXPROPERTY_SECRET_HEXPROPERTY_STAGING_CACHE_CA", expect.stringMatching(/^\$\{google_secret_manager_secret\.data_cache-ca_[0-9A-F]+\.secret_id\}$/), undefined],
    ]);
    expect(secrets[0]!.value_source!.secret_key_ref.version).toMatch(/^\$\{google_secret_manager_secret_version\.data_cache-auth-version_[0-9A-F]+\.version\}$/);
  });

  // Property and leasing do not use the cache (services/{property,leasing}/index.ts): its AUTH string and CA are not theirs to read.
  test.each(["property", "leasing"])("given %s does not use the cache, when synthesized, then none of the cache's secrets is mounted into it", (s) => {
    expect(mounted(container(s))).toEqual([]);
    // its manifest still describes the cache (the runtime never opens it: connect option ports)
    expect(env(s, "HEXPROPERTY_MANIFEST")).toContain("/secrets/hexproperty-staging-cache-auth/");
  });

  test("given every Cloud Run workload, when synthesized, then the secrets mounted into it are exactly those its identity may access", () => {
    const accessors = ofType(stack, "google_secret_manager_secret_iam_member").filter((g) => g.role === "roles/secretmanager.secretAccessor");
    const sa = (s: Record<string, any>) => String(s.template.service_account);
    for (const s of services as Record<string, any>[]) {
      const mountedSecrets = [...new Set(mounted(s.template.containers[0]).map((e) => e.value_source!.secret_key_ref.secret))].sort();
      const granted = accessors.filter((g) => g.member === `serviceAccount:${sa(s)}`).map((g) => String(g.secret_id)).sort();
      expect([s.name, mountedSecrets]).toEqual([s.name, granted]);
    }
  });

  test("given Direct VPC egress, when synthesized, then every service egresses all traffic through the workloads' subnet", () => {
    for (const s of ["property", "leasing", "search"]) {
      expect(service(s).template.vpc_access.egress).toBe("ALL_TRAFFIC");
      expect(service(s).template.vpc_access.network_interfaces[0].subnetwork).toMatch(/^\$\{google_compute_subnetwork\./);
    }
  });

  // Ingress: API Gateway calls the run.app URL from outside the VPC and is not a source Cloud Run counts as internal,
  // so INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER would cut the gateway off; the gateway-only rule is enforced by IAM (next test).
  test("given API Gateway in front, when synthesized, then ingress admits the gateway and IAM invocation is required (invoker IAM not disabled)", () => {
    for (const s of ["property", "leasing", "search"]) expect(service(s)).toMatchObject({ ingress: "INGRESS_TRAFFIC_ALL", invoker_iam_disabled: false });
  });

  test("given the gateway and the configured operators, when synthesized, then they alone hold run.invoker on each service", () => {
    const invokers = ofType(stack, "google_cloud_run_v2_service_iam_member");
    expect(invokers.every((i) => i.role === "roles/run.invoker")).toBe(true);
    const byService = (s: string) => invokers.filter((i) => String(i.name).includes(`microservices_${s}_service_`)).map((i) => String(i.member).replace(/_[0-9A-F]+\.email\}$/, "}")).sort();
    for (const s of ["property", "leasing", "search"]) expect(byService(s)).toEqual(["group:hexproperty-platform@hexproperty.example", "serviceAccount:${google_service_account.interface_gateway-sa}"]);
    expect(invokers).toHaveLength(6);
  });

  test("given deletion protection off in staging and on in prod, when synthesized, then the services follow it", () => {
    expect(service("property").deletion_protection).toBe(false);
    const prod = synthAll([environment("prod")])["hexproperty-prod"]!;
    expect(ofType(prod, "google_cloud_run_v2_service").every((s) => s.deletion_protection === true)).toBe(true);
  });

  test("given a service whose memory exceeds what its vCPU allows, when synthesized, then a named error says what Cloud Run allows", () => {
    expect(() => synthAll([environment("staging", { services: { search: { cpu: 1, memoryMiB: 8192 } } })])).toThrow('workload "search": memoryMiB 8192 is not possible on Cloud Run; 1 vCPU allows at most 4096 MiB');
  });
});
