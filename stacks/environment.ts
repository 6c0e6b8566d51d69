import { TerraformOutput, TerraformStack, dependable, type App } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import type { INamespace } from "kubernetes-models/v1";
import { KubeResource } from "../constructs/core/kube";
import { runtimeManifestSchema, type RuntimeManifest } from "@hexproperty/runtime/manifest";
import type { Environment } from "../environments";
import { Naming, type LayerContext } from "../constructs/core/context";
import { describeIdentity, type Identity } from "../constructs/core/identity";
import { DOMAIN, type DomainContract } from "../constructs/domain";
import { backendsOf } from "../constructs/domain/catalog";
import { microservicesLayer } from "../constructs/microservices";
import { applicationLayer } from "../constructs/application";
import { eventsLayer } from "../constructs/events";
import { dataLayer } from "../constructs/data";
import { supportLayer } from "../constructs/support";
import { interfaceLayer } from "../constructs/interface";
import { meshLayer } from "../constructs/mesh";
import { PortableNamespacePolicies } from "../constructs/network/portable";
import { configureBackend } from "./backend";
import { googleProviders, kubernetesProviders } from "./providers";
import { invalidSynthesizedManifest, unknownWorkload, unreachable } from "../constructs/errors";

/** The stacks of one environment and the manifest it emits. */
export interface EnvironmentStacks {
  /** `hexproperty-<env>`: the workloads and their infrastructure; has the `runtime_manifest` output. */
  readonly main: TerraformStack;
  /** `hexproperty-<env>-platform` (portable only): operators and CRDs, deployed first. */
  readonly platform?: TerraformStack;
  readonly manifest: RuntimeManifest;
}

/** Builds every layer of one environment on the stack its config selects. */
export function buildEnvironment(app: App, env: Environment, domain: DomainContract = DOMAIN): EnvironmentStacks {
  const namespaces: KubeResource[] = [];
  const names = new Naming(env.name);
  const main = new TerraformStack(app, Naming.stackName(env.name));
  configureBackend(main, env);
  let platform: TerraformStack | undefined;
  let ctx: LayerContext;

  // The one place the stack is chosen; every layer's index.ts narrows on ctx.stack.
  switch (env.stack) {
    case "gcp": {
      const { beta } = googleProviders(main, env.gcp, env.labels);
      const project = new DataGoogleProject(main, "project", { projectId: env.gcp.projectId });
      ctx = { stack: "gcp", env, names, workloads: main, platform: main, projectNumber: project.number, beta };
      break;
    }
    case "portable": {
      const portable = env.portable;
      platform = new TerraformStack(app, Naming.stackName(env.name, "platform"));
      configureBackend(platform, env, "platform");
      kubernetesProviders(platform, portable);
      kubernetesProviders(main, portable);
      main.addDependency(platform);
      // The workloads' namespace belongs to the platform stack: it exists before the workload stack
      // is planned, so inputs such as the ClickHouse password Secret can be created in it first.
      const namespace = new KubeResource<INamespace>(platform, "namespace", {
        object: {
          apiVersion: "v1",
          kind: "Namespace",
          metadata: {
            name: portable.namespace,
            labels: { ...env.labels, "istio-injection": "enabled", "pod-security.kubernetes.io/enforce": "restricted" },
          },
        },
      });
      namespaces.push(namespace);
      new PortableNamespacePolicies(platform, "namespace-policies", { namespace: portable.namespace, labels: env.labels });
      ctx = { stack: "portable", env, names, workloads: main, platform };
      break;
    }
    default:
      return unreachable(env, "stack");
  }

  // Layers 2 and 3 create the identities; the other layers grant them exactly what the domain says they use.
  const microservices = microservicesLayer(ctx, domain.microservices);
  const application = applicationLayer(ctx, domain.processors);
  const workloads = [...domain.microservices, ...domain.processors];
  const identities: Record<string, Identity> = { ...microservices.identities, ...application.identities };
  const identity = (workload: string): Identity => {
    const found = identities[workload];
    if (!found) throw unknownWorkload(workload, Object.keys(identities));
    return found;
  };

  const events = eventsLayer(ctx, domain);
  for (const stream of domain.streams) {
    for (const publisher of stream.publishers) events.grantPublish(stream.name, identity(publisher));
    for (const [subscription, consumer] of Object.entries(stream.consumers)) events.grantSubscribe(subscription, identity(consumer));
  }
  // What each workload uses, from the catalog: it is granted these and nothing else (services/*/index.ts declare the same).
  const backends = Object.fromEntries(Object.keys(identities).map((w) => [w, backendsOf(domain, w)]));
  // A workload on the bus checks it in /readyz (topic metadata); the others never connect to it, are handed none of its
  // secrets (on portable: no Kafka user, so no KafkaUser and no path to the brokers) and are granted nothing on it.
  for (const workload of Object.keys(identities)) if (backends[workload]!.includes("bus")) events.grantInspect?.(identity(workload));

  // Each workload with the "write" use owns its write data (on gcp: its own database, granted to it alone).
  const writers = Object.entries(domain.dataAccess).filter(([, uses]) => uses.includes("write")).map(([workload]) => workload);
  const data = dataLayer(ctx, writers);
  for (const [workload, uses] of Object.entries(domain.dataAccess)) {
    for (const use of uses) {
      if (use === "write") data.grantWrite(identity(workload));
      else if (use === "read") data.grantRead(identity(workload));
      else if (use === "project") data.grantProject(identity(workload));
      else data.grantCache(identity(workload));
    }
  }

  const edge = interfaceLayer(ctx, microservices.endpoints);
  const support = supportLayer(ctx, {
    services: domain.microservices, subscriptions: Object.values(events.subscriptions).map((s) => s.subscription), publicHost: edge.publicHost,
    workloads, deadLetterTopics: Object.values(events.streams).map((s) => s.deadLetterTopic),
  });
  // The edge is the services' only caller; processors take no calls.
  const edgePrincipals = edge.identity?.kind === "kubernetes-service-account" ? [`cluster.local/ns/${edge.identity.namespace}/sa/${edge.identity.name}`] : [];
  const mesh = meshLayer(ctx, { callers: Object.fromEntries(domain.microservices.map((s) => [s, edgePrincipals])), uncalled: domain.processors });
  for (const workload of Object.keys(identities)) support.grantTelemetry?.(identity(workload));

  const manifest: RuntimeManifest = {
    version: 1,
    environment: env.name,
    stack: env.stack,
    eventBus: events.manifest,
    writeStore: data.writeStore,
    readStore: data.readStore,
    cache: data.cache,
    telemetry: support.telemetry,
    flags: env.flags,
    auth: edge.auth,
    services: Object.fromEntries(
      Object.entries(microservices.endpoints).map(([name, url]) => [name, { url, identity: describeIdentity(identity(name)) }]),
    ),
  };
  // What each workload is handed: the same document, with the write store it owns.
  const workloadManifests: Record<string, RuntimeManifest> = Object.fromEntries(
    workloads.map((w) => [w, { ...manifest, writeStore: data.writeStoreOf?.(w) ?? data.writeStore }]),
  );
  for (const value of [manifest, ...Object.values(workloadManifests)]) {
    const checked = runtimeManifestSchema.safeParse(value);
    if (!checked.success) throw invalidSynthesizedManifest(env.name, checked.error.issues[0]!);
  }
  // Each workload is handed the secrets of the backends it uses, no other (it holds no grant on them).
  for (const layer of [microservices, application]) layer.run?.(workloadManifests, data.secretSources, backends);
  // The edge is the services' only caller.
  if (edge.identity) for (const service of domain.microservices) microservices.grantInvoke?.(service, edge.identity);

  // Terraform creates resources in parallel: every object in a namespace of the same stack waits for it.
  for (const namespace of namespaces) for (const stack of [main, platform]) if (stack) dependOnNamespace(stack, namespace);

  new TerraformOutput(main, "runtime_manifest", {
    value: manifest,
    description: `The runtime manifest: the JSON document services load with loadManifest(); secrets appear only as references.${data.writeStoreOf ? " Its writeStore is the first write owner's; workload_manifests has each workload's own." : ""}`,
  });
  // Only where a workload's document differs from runtime_manifest (its own write store).
  if (data.writeStoreOf) new TerraformOutput(main, "workload_manifests", {
    value: workloadManifests,
    description: "The runtime manifest each workload is handed (HEXPROPERTY_MANIFEST on Cloud Run): the same document with the write store that workload owns.",
  });
  if (edge.publicHost) new TerraformOutput(main, "public_endpoint", { value: `https://${edge.publicHost}`, description: "The only public entry: the API gateway." });
  new TerraformOutput(main, "service_mesh", { value: { name: mesh.meshName, mtls: mesh.mtls, enforcement: mesh.enforcement }, description: "What the mesh resources of this stack enforce, and nothing more." });
  return { main, platform, manifest };
}

/**
 * Every Kubernetes object and Helm release of `stack` that lives in
 * `namespace` waits for it when both are in the same stack (across stacks,
 * the stack dependency orders them), and a release never creates it.
 */
function dependOnNamespace(stack: TerraformStack, namespace: KubeResource): void {
  const name = namespace.object.metadata.name;
  const sameStack = TerraformStack.of(namespace) === stack;
  for (const node of stack.node.findAll()) {
    if (node instanceof KubeResource && node !== namespace && node.object.metadata.namespace === name && sameStack) node.dependOn(namespace.resource);
    if (node instanceof Release && node.namespaceInput === name) {
      node.createNamespace = false;
      if (sameStack) node.dependsOn = [...(node.dependsOn ?? []), dependable(namespace.resource)];
    }
  }
}
