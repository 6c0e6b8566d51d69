import { Kafka, logLevel } from "kafkajs";
import { expectKind, loadLocalManifest, uniqueName } from "./support";

describe("local Kafka", () => {
  const bus = expectKind(loadLocalManifest("portable-local").eventBus, "kafka", "portable-local eventBus");
  const kafka = new Kafka({ clientId: bus.clientId, brokers: bus.brokers, logLevel: logLevel.NOTHING });

  it("Given a new topic, When a message is produced, Then a consumer group receives it", async () => {
    const topic = uniqueName("smoke", "-");
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    const consumer = kafka.consumer({ groupId: `${topic}-group` });
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true })).toBe(true);
      await producer.connect();
      await producer.send({ topic, messages: [{ key: "k", value: "hello" }] });

      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const received = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no message on ${topic} within 20s`)), 20000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve(`${message.key?.toString()}=${message.value?.toString()}`);
          },
        });
      });
      expect(received).toBe("k=hello");
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it("Given auto topic creation is off, When producing to an unknown topic, Then the broker refuses", async () => {
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 1 } });
    await producer.connect();
    try {
      await expect(producer.send({ topic: uniqueName("missing", "-"), messages: [{ value: "x" }], timeout: 2000 })).rejects.toThrow();
    } finally {
      await producer.disconnect();
    }
  });
});
