/**
 * Runs the EventBus conformance suite, unchanged, against the Pub/Sub adapter
 * on Google's Pub/Sub emulator, as described by the gcp-emulated manifest that
 * `npm run backends:up` writes. Topics and subscriptions are unique per run.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createPubSubEventBus } from "../src/adapters/pubsub";
import { validateManifest, type RuntimeManifest } from "../src/manifest/schema";
import { describeEventBusConformance } from "./conformance/eventbus";

function gcpEmulatedManifest(): RuntimeManifest {
  const file = process.env.HEXPROPERTY_GCP_EMULATED_MANIFEST ?? resolve(__dirname, "../../.local/manifests/gcp-emulated.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`no gcp-emulated manifest at ${file}: run npm run backends:up first (it starts the emulators and writes it)`);
  }
  const result = validateManifest(JSON.parse(text));
  if (!result.ok) throw new Error(`gcp-emulated manifest at ${file} is invalid: ${result.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  return result.manifest;
}

describeEventBusConformance("pubsub (emulator)", async (topology) => {
  const { eventBus } = gcpEmulatedManifest();
  if (eventBus.kind !== "pubsub") throw new Error(`gcp-emulated manifest: eventBus.kind is "${eventBus.kind}", expected "pubsub"`);
  // Immediate redelivery keeps the suite fast; the emulator applies the retry policy.
  return createPubSubEventBus({ ...eventBus, ...topology }, { retryBackoff: { minimumSeconds: 0, maximumSeconds: 1 } });
});
