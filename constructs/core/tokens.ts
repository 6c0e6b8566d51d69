import { DefaultTokenResolver, Fn, StringConcat, Token } from "cdktf";
import { extractTokenDouble } from "cdktf/lib/tokens/private/encoding";

/**
 * Concatenates strings some of which may be Terraform tokens. A template
 * literal around a token becomes "...${ref}..." and, inside a Terraform
 * function such as jsonencode, an escape sequence cdktf warns it may render
 * wrongly; `join("", [...])` has none. Plain strings stay plain.
 */
export function concat(...parts: string[]): string {
  return parts.some((p) => Token.isUnresolved(p)) ? Fn.join("", parts) : parts.join("");
}

/*
 * Synthesis fast paths (cdktf 0.21.0, pinned). Neither changes a byte of the
 * output; both are installed only while `withSynthesisFastPaths` runs.
 *
 * 1. Resolution. A stack's `toTerraform()` and `prepareStack()` resolve every
 *    value of every element through cdktf's resolver, which allocates two
 *    contexts with closures per object key; most of what the stacks hold is
 *    plain data (Kubernetes manifests, labels, IAM roles). `resolvePlain`
 *    copies plain data itself, as cdktf does (undefined values dropped), and
 *    hands every value that may be or hold a token (a superset of what
 *    cdktf's own tests find) to cdktf's resolver with the same key path, so
 *    results, errors and side effects (cross-stack references registered
 *    while preparing) are cdktf's.
 * 2. Token creation stack traces. Every token (Lazy, intrinsic, computed
 *    list) captures a complete stack trace (Error.stackTraceLimit = MAX),
 *    printed only in a resolution error message; the app already turns stack
 *    traces off (`App({ stackTraces: false })`). Those captures are skipped;
 *    any other stack trace is untouched.
 */

type TokensModule = { resolve: <T>(scope: unknown, obj: T, preparing?: boolean) => T };
type ResolveOptions = { scope: unknown; preparing: boolean; resolver: DefaultTokenResolver; prefix: string[] };
/** cdktf's own `resolve`s: the one stacks call (`lib/_tokens`, swapped while the fast paths are on) and the resolver behind it. */
const cdktfTokens = require("cdktf/lib/_tokens") as TokensModule;
const cdktfResolveWithOptions = (require("cdktf/lib/tokens/private/resolve") as { resolve: (obj: unknown, options: ResolveOptions) => unknown }).resolve;
/** Where cdktf's tokens capture their creation stack (`Error.captureStackTrace(target, <this function>)`). */
const tokenCreationTrace = (require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: (below?: unknown) => string[] }).captureStackTrace;
/** Stateless, like the one in lib/_tokens. */
const RESOLVER = new DefaultTokenResolver(new StringConcat());
/** cdktf refuses deeper key paths (a cyclic structure); such a value goes to cdktf, which throws its own error. */
const MAX_DEPTH = 200;

/** cdktf's placeholders (read once: each read of a cdktf export goes through a getter). */
const { STRING_MAP_TOKEN_VALUE, ANY_MAP_TOKEN_VALUE, NUMBER_MAP_TOKEN_VALUE } = Token;

/** cdktf's pattern of a number token inside a string (NUMBER_TOKEN_REGEX in cdktf's tokens/private/encoding), without its "g" flag. */
const NUMBER_TOKEN = /[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)/;

/**
 * Could cdktf's resolve change (or refuse) this string or key? Its tests: a
 * list, map or string token (all marked "...TfToken[..."), a map token's
 * placeholder value, and a number token inside the string. Every one of them
 * contains a lower-case "e". A string this passes goes to cdktf, which decides.
 */
function mayHoldToken(s: string): boolean {
  if (!s.includes("e")) return false;
  return s.includes("TfToken[") || s === STRING_MAP_TOKEN_VALUE || s === ANY_MAP_TOKEN_VALUE || NUMBER_TOKEN.test(s);
}

/** Is this number a token (cdktf encodes tokens as negative doubles with a marker in their top bits), or the map token's placeholder? */
function mayBeNumberToken(n: number, list: boolean): boolean {
  return !(n >= 0) && (n === NUMBER_MAP_TOKEN_VALUE || extractTokenDouble(n, list) !== undefined);
}

/** cdktf's tests for a token object (Tokenization.isResolvable) and for a construct (which it refuses to resolve). */
const isResolvable = (x: Record<string, unknown>): boolean => typeof x.resolve === "function";
const isConstruct = (x: Record<string, unknown>): boolean => x._children !== undefined && x._metadata !== undefined;

/** Could a list be a list token (an element marked "#{TfToken[...", or a number list token)? Its other tokens are its elements'. */
function mayHoldListToken(xs: readonly unknown[]): boolean {
  for (const x of xs) if ((typeof x === "string" && x.includes("#{TfToken[")) || (typeof x === "number" && mayBeNumberToken(x, true))) return true;
  return false;
}

/** cdktf's resolve of `value` at key path `path` (the path its error messages name). */
function viaCdktf(scope: unknown, value: unknown, preparing: boolean, path: readonly string[]): unknown {
  return cdktfResolveWithOptions(value, { scope, preparing, resolver: RESOLVER, prefix: [...path] });
}

/** Same result as cdktf's resolve(value) at key path `path` (pushed to while walking, left as it was found). */
function resolvePlain(scope: unknown, value: unknown, preparing: boolean, path: string[]): unknown {
  if (path.length > MAX_DEPTH) return viaCdktf(scope, value, preparing, path);
  if (value === undefined || value === null) return value;
  switch (typeof value) {
    case "string":
      return mayHoldToken(value) ? viaCdktf(scope, value, preparing, path) : value;
    case "number":
      return mayBeNumberToken(value, false) ? viaCdktf(scope, value, preparing, path) : value;
    case "function":
      return viaCdktf(scope, value, preparing, path);
    case "object":
      break;
    default:
      return value;
  }
  if (value instanceof Date) return value;
  if (Array.isArray(value)) {
    if (mayHoldListToken(value)) return viaCdktf(scope, value, preparing, path);
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      path.push(`${i}`);
      const item = resolvePlain(scope, value[i], preparing, path);
      path.pop();
      if (item !== undefined) out.push(item);
    }
    return out;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  // Resolvables, constructs, and map tokens or other tokens as keys: cdktf's (before any value is resolved, so nothing is resolved twice).
  if (isResolvable(object) || isConstruct(object) || keys.some(mayHoldToken)) return viaCdktf(scope, value, preparing, path);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    path.push(key);
    const item = resolvePlain(scope, object[key], preparing, path);
    path.pop();
    if (item !== undefined) out[key] = item;
  }
  return out;
}

/** Set while `asPreparing` runs: every resolution is a preparing one. */
let preparingAll = false;

function fastResolve<T>(scope: unknown, obj: T, preparing = false): T {
  return resolvePlain(scope, obj, preparing || preparingAll, []) as T;
}

let depth = 0;
let saved: { resolve: TokensModule["resolve"]; captureStackTrace: typeof Error.captureStackTrace } | undefined;

/**
 * Off with HEXPROPERTY_SYNTH_FAST_PATHS=0: synthesis is then cdktf's own path
 * end to end (test/stacks/synth-fast-paths.test.ts compares both, byte for
 * byte, on every environment as shipped and flipped).
 */
export const SYNTH_FAST_PATHS = process.env.HEXPROPERTY_SYNTH_FAST_PATHS !== "0";

/** Runs `fn` with both fast paths installed (re-entrant; restored when the outermost call returns or throws). */
export function withSynthesisFastPaths<T>(fn: () => T): T {
  if (!SYNTH_FAST_PATHS) return fn();
  if (depth++ === 0) {
    const captureStackTrace = Error.captureStackTrace;
    saved = { resolve: cdktfTokens.resolve, captureStackTrace };
    cdktfTokens.resolve = fastResolve;
    Error.captureStackTrace = function captureUnlessTokenCreation(target: object, below?: Function): void {
      // A token's creation: leave `target.stack` empty, which cdktf records as no creation stack.
      if (below !== tokenCreationTrace) captureStackTrace(target, below);
    };
  }
  try {
    return fn();
  } finally {
    if (--depth === 0 && saved) {
      cdktfTokens.resolve = saved.resolve;
      Error.captureStackTrace = saved.captureStackTrace;
      saved = undefined;
    }
  }
}

/**
 * Runs `fn` (with the fast paths) resolving as `prepareStack()` does: a
 * reference to another stack's resource is registered as a cross-stack
 * reference (output, remote state) and resolves to it, as it does after
 * `prepareStack()`; nothing else depends on preparing. So `stack.toTerraform()`
 * run here is `prepareStack()` then `toTerraform()` in one resolution pass,
 * as long as no element was added while it ran.
 */
export function asPreparing<T>(fn: () => T): T {
  return withSynthesisFastPaths(() => {
    const outer = preparingAll;
    preparingAll = true;
    try {
      return fn();
    } finally {
      preparingAll = outer;
    }
  });
}
