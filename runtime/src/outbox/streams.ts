/**
 * Guards a WriteStore so that save() rejects, up front and with one line, an
 * event whose stream is not in the manifest: such an entry could never be
 * published and would only be parked later. Everything else (including
 * optional abilities such as OutboxParking) passes through unchanged.
 */
import { unknownOutboxStream } from "../errors";
import type { SaveRequest, WriteStore } from "../ports";

export function withKnownStreams<T extends WriteStore>(store: T, streams: readonly string[]): T {
  const known = new Set(streams);
  const save = (request: SaveRequest) => {
    const bad = request.events.find((e) => !known.has(e.stream));
    if (bad) return Promise.reject(unknownOutboxStream(`write store ${store.kind}`, bad.id, bad.stream, [...known]));
    return store.save(request);
  };
  return new Proxy(store, {
    get(target, prop) {
      if (prop === "save") return save;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
