/**
 * A bus's health (the HealthReporter port), shared by every EventBus adapter:
 * the current problems by source ("producer", "subscription projector"...),
 * "degraded" while there is one. A problem starting is logged as a warning,
 * its end once ("recovered"); what a bus counts, it counts itself.
 */
import type { Health, Logger } from "../ports";

/** Where a bus reports outages: logs and metrics. @default - silent */
export interface BusObserver {
  readonly logger?: Logger;
  counter?(name: string, value?: number, attributes?: Record<string, string>): void;
}

export class BusHealth {
  /** Current problems by source. */
  private readonly problems = new Map<string, string>();

  constructor(
    private readonly backend: string,
    private readonly observer: BusObserver = {},
  ) {}

  /** Records (or, with undefined, clears: a no-op when it had none) the current problem of a source. */
  set(source: string, problem: string | undefined): void {
    const had = this.problems.get(source);
    if (problem === undefined) {
      if (had === undefined) return;
      this.problems.delete(source);
      this.observer.logger?.info(`${this.backend}: ${source} recovered`, { previously: had });
      return;
    }
    if (had === undefined) this.observer.logger?.warn(`${this.backend}: ${source}: ${problem}`);
    this.problems.set(source, problem);
  }

  report(): Health {
    const problems = [...this.problems.entries()].map(([source, p]) => `${source}: ${p}`);
    return { status: problems.length ? "degraded" : "ok", problems };
  }
}
