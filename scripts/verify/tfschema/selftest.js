#!/usr/bin/env node
// Proves the schema-stub validation can fail: one valid control stack, then
// one stack per defect; each defect must fail with a line naming its address.
//
//   node scripts/verify/tfschema/selftest.js
//
// Stacks are written to a temporary directory (removed afterwards).
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");

const VALIDATE = path.join(__dirname, "validate.js");

function base() {
  return {
    terraform: {
      required_providers: {
        google: { source: "google", version: "6.50.0" },
        "google-beta": { source: "google-beta", version: "6.50.0" },
        kubernetes: { source: "kubernetes", version: "2.38.0" },
        helm: { source: "helm", version: "3.1.1" },
      },
      backend: { local: { path: "terraform.tfstate" } },
    },
    provider: {
      google: [{ project: "p", region: "europe-west1" }],
      "google-beta": [{ project: "p", region: "europe-west1" }],
      kubernetes: [{ config_path: "~/.kube/config", config_context: "c" }],
      helm: [{ kubernetes: { config_path: "~/.kube/config", config_context: "c" } }],
    },
    data: { google_project: { this: { project_id: "p" } } },
    resource: {
      google_service_account: { sa: { account_id: "sa", display_name: "SA" } },
      google_pubsub_topic: { topic: { name: "t", labels: { env: "dev" }, message_retention_duration: "600s" } },
      google_pubsub_subscription: {
        sub: {
          name: "s",
          topic: "${google_pubsub_topic.topic.id}",
          ack_deadline_seconds: 20,
          expiration_policy: [{ ttl: "" }],
          dead_letter_policy: { dead_letter_topic: "${google_pubsub_topic.topic.id}", max_delivery_attempts: 5 },
          retry_policy: { minimum_backoff: "10s" },
          depends_on: ["google_pubsub_topic.topic"],
        },
      },
      google_pubsub_topic_iam_member: {
        pub: {
          topic: "${google_pubsub_topic.topic.name}",
          role: "roles/pubsub.publisher",
          member: "serviceAccount:${google_service_account.sa.email}",
        },
      },
      google_api_gateway_api: { api: { provider: "google-beta", api_id: "a", labels: { env: "dev" } } },
      helm_release: {
        rel: {
          name: "r",
          chart: "c",
          repository: "https://example.invalid/charts",
          namespace: "n",
          values: ["a: 1\n"],
          set: [{ name: "a.b", value: "1" }],
          timeout: 600,
        },
      },
      kubernetes_manifest: {
        ns: { manifest: { apiVersion: "v1", kind: "Namespace", metadata: { name: "n", labels: { a: "b" } } } },
      },
      kubernetes_namespace_v1: { ns: { metadata: { name: "n2" } } },
      kubernetes_network_policy_v1: {
        np: {
          metadata: { name: "deny", namespace: "${kubernetes_namespace_v1.ns.metadata[0].name}" },
          spec: {
            pod_selector: {},
            policy_types: ["Ingress"],
            ingress: [{ from: [{ pod_selector: { match_labels: { a: "b" } } }], ports: [{ port: "80", protocol: "TCP" }] }],
          },
        },
      },
    },
    output: {
      email: { value: "${google_service_account.sa.email}" },
      number: { value: "${data.google_project.this.number}" },
      release: { value: "${helm_release.rel.metadata.revision}" },
    },
  };
}

const CASES = [
  { name: "control", mutate: () => {}, expect: null },
  {
    name: "beta-type-on-google",
    mutate: (j) => delete j.resource.google_api_gateway_api.api.provider,
    expect: /^beta-type-on-google: google_api_gateway_api\.api: Invalid resource type — The provider hashicorp\/google does not support resource type "google_api_gateway_api"/,
  },
  {
    name: "unknown-argument",
    mutate: (j) => (j.resource.google_pubsub_topic.topic.retention = "600s"),
    expect: /^unknown-argument: google_pubsub_topic\.topic: .*— No argument or block type is named "retention"/,
  },
  {
    name: "missing-required",
    mutate: (j) => delete j.resource.google_service_account.sa.account_id,
    expect: /^missing-required: google_service_account\.sa: Missing required argument — The argument "account_id" is required/,
  },
  {
    name: "depends-on-interpolation",
    mutate: (j) => (j.resource.google_pubsub_subscription.sub.depends_on = ["${google_pubsub_topic.topic.id}"]),
    expect: /^depends-on-interpolation: google_pubsub_subscription\.sub: Invalid expression — A single static variable reference is required/,
  },
  {
    name: "wrong-value-type",
    mutate: (j) => (j.resource.google_pubsub_subscription.sub.ack_deadline_seconds = { seconds: 20 }),
    expect: /^wrong-value-type: google_pubsub_subscription\.sub: Incorrect attribute value type — /,
  },
  {
    name: "attribute-given-for-block",
    mutate: (j) => (j.resource.google_pubsub_subscription.sub.expiration_policy = "2678400s"),
    expect: /^attribute-given-for-block: google_pubsub_subscription\.sub: .*(block|JSON)/i,
  },
  {
    name: "missing-required-in-block",
    mutate: (j) => (j.resource.google_pubsub_subscription.sub.expiration_policy = [{}]),
    expect: /^missing-required-in-block: google_pubsub_subscription\.sub: Missing required argument — The argument "ttl" is required/,
  },
  {
    name: "unknown-attribute-reference",
    mutate: (j) => (j.output.email.value = "${google_service_account.sa.mail}"),
    expect: /^unknown-attribute-reference: output\.email: Unsupported attribute — This object has no argument, nested block, or exported attribute named "mail"/,
  },
  {
    name: "read-only-attribute",
    mutate: (j) => (j.resource.google_service_account.sa.email = "sa@p.iam.gserviceaccount.com"),
    expect: /^read-only-attribute: google_service_account\.sa: Value for read-only attribute — "email" is computed by the provider/,
  },
  {
    name: "missing-required-block",
    mutate: (j) => delete j.resource.kubernetes_network_policy_v1.np.spec.pod_selector,
    expect: /^missing-required-block: kubernetes_network_policy_v1\.np: Insufficient pod_selector blocks — /,
  },
  {
    name: "helm-set-wrong-shape",
    mutate: (j) => (j.resource.helm_release.rel.set = [{ value: "1" }]),
    expect: /^helm-set-wrong-shape: helm_release\.rel: Incorrect attribute value type — .*"name" is required/,
  },
];

function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tfschema-selftest-"));
  try {
    const dirs = [];
    for (const c of CASES) {
      const j = base();
      c.mutate(j);
      const d = path.join(root, c.name);
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, "cdk.tf.json"), JSON.stringify(j, null, 2));
      dirs.push(d);
    }
    const r = spawnSync(process.execPath, [VALIDATE, "--quiet", ...dirs], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    process.stdout.write(r.stdout);
    const lines = r.stdout.split("\n").filter(Boolean);
    let bad = 0;
    for (const c of CASES) {
      const mine = lines.filter((l) => l.startsWith(`${c.name}: `) || l.endsWith(` ${c.name}`));
      const status = mine.find((l) => l === `ok ${c.name}` || l === `FAIL ${c.name}`);
      let ok;
      if (!c.expect) ok = status === `ok ${c.name}` && mine.length === 1;
      else ok = status === `FAIL ${c.name}` && mine.some((l) => c.expect.test(l));
      process.stdout.write(`selftest ${ok ? "PASS" : "FAIL"}: ${c.name}${c.expect ? " is rejected" : " is accepted"}\n`);
      if (!ok) bad += 1;
    }
    if (r.status !== 1) {
      process.stdout.write(`selftest FAIL: validate.js exit status ${r.status}, expected 1\n`);
      bad += 1;
    }
    process.stdout.write(bad ? `selftest: ${bad} failure(s)\n` : `selftest: all ${CASES.length} cases as expected\n`);
    return bad ? 1 : 0;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

process.exit(main());
