// Negative controls: verify must reject a stack broken on purpose. Each
// control copies a synthesized stack, breaks it in one known way, and runs
// the same engine on it; if the engine accepts it, verify is not checking
// what it claims, and the run fails.
"use strict";

const clone = (value) => JSON.parse(JSON.stringify(value));

/** A copy of a stack with only the kubernetes_manifest resources `keep` accepts (keeps a control fast and about one object). */
function only(stack, keep) {
  const copy = clone(stack);
  copy.resource = { kubernetes_manifest: Object.fromEntries(Object.entries(copy.resource?.kubernetes_manifest ?? {}).filter(([name, r]) => keep(name, r))) };
  return copy;
}

/** The controls: each takes the shipped stacks and returns a broken copy of one and the address that must be named. */
function controls(stacks, env) {
  const platform = stacks[`hexproperty-${env}-platform`];
  const main = stacks[`hexproperty-${env}`];
  if (!platform || !main) throw new Error(`negative controls need the portable stacks of ${env}`);
  // The workloads' namespace: the platform stack's Namespace that enforces Pod Security "restricted".
  const nsBody = Object.values(platform.resource?.kubernetes_manifest ?? {}).find((r) => r.manifest.kind === "Namespace" && r.manifest.metadata.labels?.["pod-security.kubernetes.io/enforce"] === "restricted");
  if (!nsBody) throw new Error(`negative controls need a Namespace enforcing Pod Security "restricted" in hexproperty-${env}-platform`);
  const namespace = nsBody.manifest.metadata.name;
  // A broken workload stack is applied after the platform stack's namespaces, as in a deploy.
  const needs = [[`hexproperty-${env}-platform`, only(platform, (_, r) => r.manifest.kind === "Namespace")]];
  return [
    (() => {
      const broken = clone(main);
      const [name, sa] = Object.entries(broken.resource.kubernetes_manifest).find(([, r]) => r.manifest.kind === "ServiceAccount");
      sa.manifest.metadata.labels = { ...sa.manifest.metadata.labels, "app.kubernetes.io/component": "event processor" };
      return { what: "an invalid label value", engine: "kubernetes", stack: `hexproperty-${env}`, json: only(broken, (n) => n === name), address: `kubernetes_manifest.${name}`, because: /label/i, needs };
    })(),
    (() => {
      const broken = clone(platform);
      const releases = Object.keys(broken.resource.helm_release);
      const [first, second] = releases;
      broken.resource.helm_release[second].depends_on = [`\${helm_release.${first}}`];
      return { what: "a depends_on interpolation", engine: "terraform", stack: `hexproperty-${env}-platform`, json: broken, address: `helm_release.${second}`, because: /static variable reference|Invalid expression/ };
    })(),
    (() => {
      const broken = clone(main);
      broken.resource.kubernetes_manifest["verify_privileged-probe"] = {
        manifest: {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "privileged-probe", namespace },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: "privileged-probe" } },
            template: {
              metadata: { labels: { app: "privileged-probe" } },
              spec: { containers: [{ name: "probe", image: "registry.example/probe@sha256:0000000000000000000000000000000000000000000000000000000000000000", securityContext: { privileged: true } }] },
            },
          },
        },
      };
      return { what: "a privileged container in the restricted namespace", engine: "kubernetes", stack: `hexproperty-${env}`, json: only(broken, (n) => n === "verify_privileged-probe"), address: "kubernetes_manifest.verify_privileged-probe", because: /PodSecurity/, needs };
    })(),
  ];
}

module.exports = { controls };
