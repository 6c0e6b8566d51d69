/**
 * Pub/Sub wire format: the CloudEvents Pub/Sub binding in binary mode (the
 * message data is the event's data as JSON; ce-id, ce-type, ce-specversion,
 * ce-source and content-type attributes next to the event's own; the ordering
 * key is Pub/Sub's ordering key).
 */
import { decodeEvent, encodeEvent, ownAttributes, PUBSUB_BINDING } from "../../eventbus/cloudevents";
import type { EventMessage, OutgoingEvent } from "../../ports";

const OWN = ownAttributes(PUBSUB_BINDING);

export interface PubSubWireMessage {
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey?: string;
}

export function encode(event: OutgoingEvent): PubSubWireMessage {
  const e = encodeEvent(PUBSUB_BINDING, event);
  return { data: Buffer.from(e.data), attributes: e.attributes, ...(e.orderingKey ? { orderingKey: e.orderingKey } : {}) };
}

export function decode(stream: string, raw: { id: string; data: Buffer | Uint8Array; attributes: Record<string, string>; orderingKey?: string | null }): EventMessage {
  return decodeEvent(PUBSUB_BINDING, OWN, stream, {
    data: Buffer.from(raw.data).toString("utf8"),
    attributes: raw.attributes,
    orderingKey: raw.orderingKey || undefined,
    fallbackId: raw.id,
  });
}
