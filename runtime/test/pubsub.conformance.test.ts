/**
 * Runs the EventBus conformance suite, unchanged, against the Pub/Sub adapter
 * on Google's Pub/Sub emulator (gcp-emulated manifest written by
 * `npm run backends:up`). The suite names its topics and subscriptions per run.
 */
import { createPubSubEventBus } from "../src/adapters/pubsub";
import { localManifest } from "./backends";
import { describeEventBusConformance } from "./conformance/eventbus";

const manifest = localManifest("gcp-emulated");
if (manifest.eventBus.kind !== "pubsub") throw new Error(`gcp-emulated manifest: eventBus.kind is "${manifest.eventBus.kind}", expected "pubsub"`);
const bus = manifest.eventBus;

// Immediate redelivery keeps the suite fast (the emulator applies the subscription's retry policy).
describeEventBusConformance("pubsub (emulator)", async (topology) => createPubSubEventBus({ ...bus, ...topology }, { retryBackoff: { minimumSeconds: 0, maximumSeconds: 1 }, drainTimeoutMs: 2000 }), { slowAckDeadlineSeconds: 10 });
