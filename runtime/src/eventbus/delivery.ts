/**
 * The bus-independent part of a delivery, shared by the memory, Pub/Sub and
 * Kafka buses: settled exactly once, by the handler (ack/nack), by the handler
 * returning (ack) or throwing (nack), or by the adapter (expire: nack).
 *
 * Ack deadline semantics (the EventBus contract, see ports): the ack deadline
 * is a lease that the adapter extends while the handler runs, up to the
 * subscription's maximum extension (like Pub/Sub lease management). A handler
 * slower than the ack deadline therefore runs once, never concurrently with
 * itself, and its ack counts; a delivery still unsettled after the maximum
 * extension is expired (nacked, redelivered with attempt+1).
 *
 * A class, not closures: the Kafka bus creates one per message.
 */
import { alreadySettled } from "../errors";
import type { Delivery, DeliveryHandler, EventMessage } from "../ports";

export type Outcome = "ack" | "nack";

/** Applies an outcome to the backend (ack the message, nack it, dead-letter it...) and says what happened. */
export type ApplyOutcome<R> = (outcome: Outcome, delivery: SettleOnceDelivery<R>) => R | Promise<R>;

export class SettleOnceDelivery<R = Outcome> implements Delivery {
  /** When the handler was started (the lease's start). */
  readonly startedAt = Date.now();
  /** Resolves with what the adapter did once the delivery is settled. */
  readonly result: Promise<R>;
  private resolveResult!: (r: R | PromiseLike<R>) => void;
  private settledAs: Outcome | undefined;

  constructor(
    readonly message: EventMessage,
    readonly attempt: number,
    private readonly backend: string,
    private readonly apply: ApplyOutcome<R>,
  ) {
    this.result = new Promise<R>((r) => (this.resolveResult = r));
  }

  get settled(): boolean {
    return this.settledAs !== undefined;
  }

  /** Settles once; false if it was settled before. */
  settle(outcome: Outcome): boolean {
    if (this.settledAs !== undefined) return false;
    this.settledAs = outcome;
    let applied: R | Promise<R>;
    try {
      applied = this.apply(outcome, this);
    } catch (e) {
      applied = Promise.reject(e);
    }
    this.resolveResult(applied);
    return true;
  }

  ack(): Promise<void> {
    return this.settle("ack") ? this.result.then(noop) : Promise.reject(alreadySettled(this.backend, this.message.id));
  }

  nack(): Promise<void> {
    return this.settle("nack") ? this.result.then(noop) : Promise.reject(alreadySettled(this.backend, this.message.id));
  }

  /** The adapter gives up on it (maximum lease extension reached, or a bounded close): a nack. */
  expire(): void {
    this.settle("nack");
  }

  /** True once the lease ran past `maxExtensionMs` (and the delivery is still unsettled). */
  leaseExpired(now: number, maxExtensionMs: number): boolean {
    return this.settledAs === undefined && now - this.startedAt >= maxExtensionMs;
  }

  /** Runs the handler: returning acks, throwing nacks (unless it settled already). Resolves with the adapter's result. */
  async run(handler: DeliveryHandler): Promise<R> {
    try {
      await handler(this);
      this.settle("ack");
    } catch {
      this.settle("nack");
    }
    return this.result;
  }
}

function noop(): void {}

/**
 * Waits for `running` to settle, at most `timeoutMs`; true if everything
 * finished in time. The one bounded drain every adapter's close() uses.
 */
export async function drainWithin(running: () => readonly Promise<unknown>[], timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
  try {
    for (;;) {
      const list = running();
      if (list.length === 0) return true;
      const done = await Promise.race([Promise.allSettled(list).then(() => true as const), timedOut]);
      if (!done) return false;
    }
  } finally {
    clearTimeout(timer);
  }
}
