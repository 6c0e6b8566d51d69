/**
 * Kafka wire format: the CloudEvents Kafka binding in binary mode (headers
 * ce_id, ce_type, content-type; data as the JSON value; ordering key as the
 * message key). A message without ce_id gets an id unique per
 * topic/partition/offset, so consumers that deduplicate never drop a
 * different message as a duplicate.
 */
import type { IHeaders, KafkaMessage, Message } from "kafkajs";
import { decodeEvent, encodeEvent, KAFKA_BINDING, ownAttributes } from "../../eventbus/cloudevents";
import type { EventMessage, OutgoingEvent } from "../../ports";

const OWN = ownAttributes(KAFKA_BINDING);

export function toKafkaMessage(event: OutgoingEvent): Message {
  const e = encodeEvent(KAFKA_BINDING, event);
  return { key: e.orderingKey ?? null, value: e.data, headers: e.attributes };
}

function headerString(v: IHeaders[string]): string | undefined {
  if (v === undefined) return undefined;
  const one = Array.isArray(v) ? v[v.length - 1] : v;
  return one === undefined ? undefined : Buffer.isBuffer(one) ? one.toString("utf8") : String(one);
}

/** Where a message was read from: its fallback id is unique per topic, partition and offset. */
export interface KafkaPosition {
  readonly topic: string;
  readonly partition: number;
}

export function fallbackEventId(at: KafkaPosition | undefined, offset: string): string {
  return at ? `kafka:${at.topic}:${at.partition}:${offset}` : `kafka-offset-${offset}`;
}

/** Decodes a message (throws if its value is not JSON). `at` should always be given; without it ids fall back to the offset alone. */
export function fromKafkaMessage(stream: string, m: KafkaMessage, at?: KafkaPosition): EventMessage {
  const attributes: Record<string, string | undefined> = {};
  const headers = m.headers ?? {};
  for (const k in headers) attributes[k] = headerString(headers[k]);
  return decodeEvent(KAFKA_BINDING, OWN, stream, {
    data: m.value === null ? null : m.value.toString("utf8"),
    attributes,
    orderingKey: m.key === null ? undefined : m.key.toString("utf8"),
    fallbackId: fallbackEventId(at, m.offset),
  });
}
