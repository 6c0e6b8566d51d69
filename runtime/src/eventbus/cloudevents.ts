/**
 * One CloudEvents codec (binary content mode) for every bus, parameterised by
 * the protocol binding: which attribute/header names carry the event's id and
 * type. The event's data travels as JSON; its own attributes travel next to
 * the CloudEvents ones and come back without them.
 */
import type { EventMessage, JsonValue, OutgoingEvent } from "../ports";

export interface CloudEventsBinding {
  /** Attribute/header carrying the event id. */
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  /** Written when set (Pub/Sub binding); the Kafka binding has kept its headers minimal. */
  readonly specversion?: string;
  readonly source?: string;
  /** Data that is not JSON: kept as text, or rejected (the caller dead-letters it). */
  readonly nonJsonData: "text" | "reject";
}

/** CloudEvents Kafka protocol binding (headers `ce_id`, `ce_type`). */
export const KAFKA_BINDING: CloudEventsBinding = { id: "ce_id", type: "ce_type", contentType: "content-type", nonJsonData: "reject" };
/** CloudEvents Pub/Sub protocol binding (attributes `ce-id`, `ce-type`, ...). */
export const PUBSUB_BINDING: CloudEventsBinding = {
  id: "ce-id",
  type: "ce-type",
  contentType: "content-type",
  specversion: "ce-specversion",
  source: "ce-source",
  nonJsonData: "text",
};

const SOURCE = "hexproperty";
const JSON_TYPE = "application/json";

/** Names the binding owns: never handed back as event attributes. */
export function ownAttributes(b: CloudEventsBinding): ReadonlySet<string> {
  return new Set([b.id, b.type, b.contentType, ...(b.specversion ? [b.specversion] : []), ...(b.source ? [b.source] : [])]);
}

export interface EncodedEvent {
  readonly data: string;
  readonly attributes: Record<string, string>;
  readonly orderingKey: string | undefined;
}

export function encodeEvent(b: CloudEventsBinding, event: OutgoingEvent): EncodedEvent {
  const attributes: Record<string, string> = { ...event.attributes, [b.id]: event.id, [b.type]: event.type, [b.contentType]: JSON_TYPE };
  if (b.specversion) attributes[b.specversion] = "1.0";
  if (b.source) attributes[b.source] = SOURCE;
  return { data: JSON.stringify(event.data), attributes, orderingKey: event.orderingKey || undefined };
}

export interface RawEvent {
  /** The payload as text; null for an empty (tombstone) message. */
  readonly data: string | null;
  readonly attributes: Readonly<Record<string, string | undefined>>;
  readonly orderingKey: string | undefined;
  /** The id used when the message carries none; must be unique per message (e.g. topic/partition/offset). */
  readonly fallbackId: string;
}

export function decodeEvent(b: CloudEventsBinding, own: ReadonlySet<string>, stream: string, raw: RawEvent): EventMessage {
  const attributes: Record<string, string> = {};
  for (const k in raw.attributes) {
    const v = raw.attributes[k];
    if (v !== undefined && !own.has(k)) attributes[k] = v;
  }
  let data: JsonValue = null;
  if (raw.data !== null) {
    if (b.nonJsonData === "reject") data = JSON.parse(raw.data) as JsonValue;
    else {
      try {
        data = JSON.parse(raw.data) as JsonValue;
      } catch {
        data = raw.data;
      }
    }
  }
  return {
    stream,
    id: raw.attributes[b.id] ?? raw.fallbackId,
    type: raw.attributes[b.type] ?? "unknown",
    data,
    ...(raw.orderingKey ? { orderingKey: raw.orderingKey } : {}),
    attributes,
  };
}
