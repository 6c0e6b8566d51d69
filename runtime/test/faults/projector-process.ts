/**
 * The consuming process of the consumer-kill fault test: a projector with
 * dedupe that writes unit events into the PostgreSQL read store. Configured by
 * environment (FAULTS_BROKER, FAULTS_TOPIC, FAULTS_GROUP, FAULTS_SCHEMA); runs
 * until killed (SIGKILL in the test) or SIGTERM (graceful close).
 */
import { createKafkaEventBus } from "../../src/adapters/kafka";
import { openStores, projector } from "./support";

async function main(): Promise<void> {
  const env = (k: string) => {
    const v = process.env[k];
    if (!v) throw new Error(`projector-process: ${k} is not set`);
    return v;
  };
  const schema = env("FAULTS_SCHEMA");
  const topic = env("FAULTS_TOPIC");
  const stores = await openStores(schema, 4);
  const bus = createKafkaEventBus(
    {
      kind: "kafka",
      brokers: [env("FAULTS_BROKER")],
      clientId: "faults-projector",
      tls: false,
      streams: { property: { topic, deadLetterTopic: `${topic}-dlq` } },
      subscriptions: { projector: { stream: "property", subscription: env("FAULTS_GROUP"), maxDeliveryAttempts: 100, ackDeadlineSeconds: 30 } },
    },
    { sessionTimeoutMs: 6000, heartbeatIntervalMs: 500 },
  );
  // the read store's applied-events table is the durable dedupe: a redelivery after a kill answers "duplicate"
  const sub = await bus.subscribe("projector", projector(stores, schema));
  process.stdout.write("projector: subscribed\n");
  process.once("SIGTERM", () => {
    void (async () => {
      await sub.close();
      await bus.close();
      await stores.close();
      process.exit(0);
    })();
  });
}

main().catch((e) => {
  process.stderr.write(`projector-process: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
