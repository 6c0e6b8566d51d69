import type { Message, Producer } from "kafkajs";

/**
 * One request in flight per topic; publishes queued meanwhile (or made in
 * the same turn of the event loop) go out together, in order.
 */
export class TopicSender {
  private queue: { message: Message; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private sending = false;

  constructor(
    /** The bus's current producer, connected (a promise only while it connects, e.g. after a replacement). */
    private readonly producer: () => Producer | Promise<Producer>,
    private readonly topic: string,
    /** Told the outcome of each request, and which producer sent it. */
    private readonly onResult: (error: unknown, producer: Producer | undefined) => void,
  ) {}

  send(message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (!this.sending) {
        this.sending = true;
        // wait one turn of the event loop so publishes made together go out together
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      let producer: Producer | undefined;
      try {
        const current = this.producer();
        producer = current instanceof Promise ? await current : current; // no extra turn when connected
        await producer.send({ topic: this.topic, messages: batch.map((b) => b.message) });
        this.onResult(undefined, producer);
        for (const b of batch) b.resolve();
      } catch (e) {
        this.onResult(e, producer);
        for (const b of batch) b.reject(e);
      }
    }
    this.sending = false;
  }
}
