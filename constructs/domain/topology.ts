/**
 * Event stream and subscription names, derived from the domain catalog: one
 * naming rule for both stacks and for the local profiles
 * (scripts/backends/write-manifests.ts), so nothing retypes them.
 */
import type { DomainContract } from "./contract";

export interface StreamNames {
  readonly topic: string;
  readonly deadLetterTopic: string;
}

export interface SubscriptionNames {
  readonly stream: string;
  readonly subscription: string;
}

/** `<prefix>-<stream>-events`, its `-dlq`, and `<prefix>-<subscription>` for every stream and consumer of the domain. */
export function eventNames(prefix: string, domain: DomainContract): { streams: Record<string, StreamNames>; subscriptions: Record<string, SubscriptionNames> } {
  const streams: Record<string, StreamNames> = {};
  const subscriptions: Record<string, SubscriptionNames> = {};
  for (const stream of domain.streams) {
    const topic = `${prefix}-${stream.name}-events`;
    streams[stream.name] = { topic, deadLetterTopic: `${topic}-dlq` };
    for (const name of Object.keys(stream.consumers)) subscriptions[name] = { stream: stream.name, subscription: `${prefix}-${name}` };
  }
  return { streams, subscriptions };
}
