/**
 * Feature flags from manifest.flags, changeable at run time without a
 * restart: when the manifest came from a file (HEXPROPERTY_MANIFEST_FILE, a
 * mounted ConfigMap, or a cdktf outputs file), the file is polled and the
 * listeners hear which flags changed. A file that is briefly invalid (while
 * being rewritten) keeps the last good flags and is reported once.
 */
import { readFileSync } from "node:fs";
import { oneLine } from "../errors";
import { readManifestFrom, type ManifestSource } from "../manifest/load";
import type { Flags } from "../ports";

export interface FlagsOptions {
  /** Source to watch; env sources cannot change, so they are not watched. @default not watched */
  readonly source?: ManifestSource;
  /** Poll interval of a watched file. @default 2000 ms */
  readonly pollMs?: number;
  /** Told when a re-read fails (the last good flags stay). @default silent */
  readonly onError?: (message: string) => void;
}

type Listener = (changed: Readonly<Record<string, boolean>>) => void;

export class ManifestFlags implements Flags {
  private current: Record<string, boolean>;
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | undefined;
  private lastText: string | undefined;
  private lastError: string | undefined;

  constructor(initial: Readonly<Record<string, boolean>>, private readonly options: FlagsOptions = {}) {
    this.current = { ...initial };
    const src = options.source;
    if (src && src.kind !== "env") {
      this.lastText = safeRead(src.path);
      this.timer = setInterval(() => this.refresh(), options.pollMs ?? 2000);
      this.timer.unref();
    }
  }

  isEnabled(flag: string): boolean {
    return this.current[flag] === true;
  }

  all(): Readonly<Record<string, boolean>> {
    return { ...this.current };
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Re-reads the watched source now; returns the flags that changed. */
  refresh(): Readonly<Record<string, boolean>> {
    const src = this.options.source;
    if (!src || src.kind === "env") return {};
    const text = safeRead(src.path);
    if (text === this.lastText) return {};
    try {
      const manifest = readManifestFrom(src);
      this.lastText = text;
      this.lastError = undefined;
      return this.replace(manifest.flags);
    } catch (e) {
      const message = oneLine(e);
      if (message !== this.lastError) this.options.onError?.(`flags not reloaded, keeping the last good ones: ${message}`);
      this.lastError = message;
      return {};
    }
  }

  /** Replaces all flags (a flag that disappears reads as false); tells listeners what changed. */
  replace(next: Readonly<Record<string, boolean>>): Readonly<Record<string, boolean>> {
    const changed: Record<string, boolean> = {};
    for (const k of new Set([...Object.keys(this.current), ...Object.keys(next)])) {
      const before = this.current[k] === true;
      const after = next[k] === true;
      if (before !== after) changed[k] = after;
    }
    this.current = { ...next };
    if (Object.keys(changed).length) for (const l of [...this.listeners]) l(changed);
    return changed;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export function createFlags(initial: Readonly<Record<string, boolean>>, options: FlagsOptions = {}): ManifestFlags {
  return new ManifestFlags(initial, options);
}
