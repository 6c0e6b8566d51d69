import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DOMAIN } from "../../constructs/domain";
import { environment, synthAll } from "../support/synth";

describe("gcp service mesh", () => {
  const stack = synthAll([environment("staging")])["hexproperty-staging"]!;
  const services = Object.entries(stack.resource!.google_cloud_run_v2_service!) as Array<[string, Record<string, any>]>;
  const [[meshKey, mesh]] = Object.entries(stack.resource!.google_network_services_mesh!) as Array<[string, Record<string, any>]>;

  test("given Cloud Run services, when synthesized, then the service_mesh output claims no mTLS and names the enforcement that exists: IAM invocation", () => {
    const value = (stack.output!.service_mesh!.value as { name: string; mtls: string; enforcement: string });
    expect(value).toMatchObject({ name: "hexproperty-staging-mesh", mtls: "NOT_ENFORCED" });
    expect(value.enforcement).toMatch(/authenticated invocation/);
    expect(value.enforcement).toMatch(/roles\/run\.invoker/);
    expect(value.enforcement).toMatch(/joined to the Cloud Service Mesh mesh/);
    expect(value.enforcement).toMatch(/mTLS is not enforced/);
  });

  test("given the mesh claims IAM invocation, when synthesized, then no Cloud Run service disables invoker IAM", () => {
    expect(services.length).toBe(4);
    for (const [, s] of services) expect(s.invoker_iam_disabled).toBe(false);
  });

  test("given every Cloud Run workload, when synthesized, then each joins the mesh through google-beta (template.service_mesh, launch stage BETA) and waits for its Traffic Director client grant", () => {
    expect(mesh.name).toBe("hexproperty-staging-mesh");
    const grants = Object.entries(stack.resource!.google_project_iam_member!).filter(([, g]) => (g as { role: string }).role === "roles/trafficdirector.client") as Array<[string, Record<string, any>]>;
    expect(grants).toHaveLength(4);
    for (const [, s] of services) {
      expect(s.provider).toBe("google-beta");
      expect(s.launch_stage).toBe("BETA");
      expect(s.template.service_mesh).toEqual({ mesh: `\${google_network_services_mesh.${meshKey}.id}` });
      const grant = grants.find(([, g]) => g.member === `serviceAccount:${s.template.service_account}`);
      expect(grant).toBeDefined();
      expect(s.depends_on).toContain(`google_project_iam_member.${grant![0]}`);
    }
    // The invoker bindings are on the same (google-beta) resource, so they bind to the same provider.
    for (const m of Object.values(stack.resource!.google_cloud_run_v2_service_iam_member!) as Array<Record<string, any>>) expect(m.provider).toBe("google-beta");
  });

  test("given the mesh, when synthesized, then the Network Services and Traffic Director APIs are enabled first", () => {
    const apis = Object.entries(stack.resource!.google_project_service!) as Array<[string, { service: string }]>;
    for (const api of ["networkservices.googleapis.com", "trafficdirector.googleapis.com"]) {
      const [key] = apis.find(([, a]) => a.service === api)!;
      expect(mesh.depends_on).toContain(`google_project_service.${key}`);
    }
  });

  test("given the domain catalog and the services' code, when read, then no workload calls another (so the mesh has no routes); a route comes with the first service-to-service call", () => {
    // The catalog models streams and data uses only: the edge calls the services, a processor is called by nobody.
    expect(Object.keys(DOMAIN).sort()).toEqual(["dataAccess", "microservices", "processors", "streams"]);
    // A service finds another only through the manifest's `services` section; no service code reads it.
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith(".ts") ? [join(dir, n)] : []));
    const callers = files(join(__dirname, "..", "..", "services")).filter((f) => /manifest\.services|\.services\[/.test(readFileSync(f, "utf8")));
    expect(callers).toEqual([]);
    expect(Object.keys(stack.resource!).filter((t) => /^google_network_services_(http|grpc|tcp|tls)_route$/.test(t))).toEqual([]);
  });
});
