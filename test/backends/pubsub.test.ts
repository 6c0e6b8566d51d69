import { PubSub, type Message } from "@google-cloud/pubsub";
import { expectKind, loadLocalManifest, withoutMetadataServer, uniqueName } from "./support";

withoutMetadataServer();

describe("local Pub/Sub emulator", () => {
  const bus = expectKind(loadLocalManifest("gcp-emulated").eventBus, "pubsub", "gcp-emulated eventBus");
  if (!bus.emulatorHost) throw new Error("gcp-emulated eventBus has no emulatorHost");
  const pubsub = new PubSub({ projectId: bus.projectId, apiEndpoint: bus.emulatorHost, emulatorMode: true });

  afterAll(() => pubsub.close());

  it("Given a new topic and subscription, When a message is published, Then the subscriber receives it", async () => {
    const [topic] = await pubsub.createTopic(uniqueName("smoke", "-"));
    const [subscription] = await topic.createSubscription(`${topic.name.split("/").pop()}-sub`, { ackDeadlineSeconds: 10 });
    try {
      await topic.publishMessage({ data: Buffer.from("hello"), attributes: { kind: "smoke" } });
      const received = await new Promise<Message>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no message within 20s")), 20000);
        subscription.on("error", reject);
        subscription.on("message", (message: Message) => {
          clearTimeout(timer);
          message.ack();
          resolve(message);
        });
      });
      expect(received.data.toString()).toBe("hello");
      expect(received.attributes).toEqual({ kind: "smoke" });
    } finally {
      await subscription.close();
      await subscription.delete();
      await topic.delete();
    }
  });
});
