/**
 * What JSON.parse hides: a key given twice in one object (the last silently
 * wins) and a number too large for a double (1e400 becomes Infinity, printed
 * as null). A small scanner over text that JSON.parse already accepted finds
 * the first of either, with its key path and source text.
 */

export type JsonProblem =
  | { readonly kind: "duplicate"; readonly path: readonly string[]; readonly first: string; readonly second: string }
  | { readonly kind: "notFinite"; readonly path: readonly string[]; readonly raw: string };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The first duplicate key or non-finite number in `text` (which must be valid JSON), or undefined. */
export function findJsonProblem(text: string): JsonProblem | undefined {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const readString = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const readValue = (path: readonly string[]): JsonProblem | undefined => {
    skipSpace();
    const c = text[i];
    if (c === "{") {
      i++;
      const seen = new Map<string, string>();
      skipSpace();
      if (text[i] === "}") return void i++;
      for (;;) {
        skipSpace();
        const key = readString();
        skipSpace();
        i++; // ':'
        skipSpace();
        const start = i;
        const problem = readValue([...path, key]);
        if (problem) return problem;
        const source = text.slice(start, i);
        const first = seen.get(key);
        if (first !== undefined) return { kind: "duplicate", path: [...path, key], first, second: source };
        seen.set(key, source);
        skipSpace();
        if (text[i++] === "}") return undefined; // else ','
      }
    }
    if (c === "[") {
      i++;
      skipSpace();
      if (text[i] === "]") return void i++;
      for (let index = 0; ; index++) {
        const problem = readValue([...path, String(index)]);
        if (problem) return problem;
        skipSpace();
        if (text[i++] === "]") return undefined; // else ','
      }
    }
    if (c === '"') return void readString();
    if (c === "t" || c === "n") return void (i += 4);
    if (c === "f") return void (i += 5);
    NUMBER.lastIndex = i;
    const raw = NUMBER.exec(text)![0];
    i += raw.length;
    return Number.isFinite(Number(raw)) ? undefined : { kind: "notFinite", path, raw };
  };
  return readValue([]);
}

/** Parses `text` as a JSON object; anything else is `fail(why)` (one line: "not JSON (...)" or "not an object"). */
export function parseJsonObject(text: string, fail: (why: string) => Error): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw fail(`not JSON (${(e as Error).message})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw fail("not an object");
  return value as Record<string, unknown>;
}
