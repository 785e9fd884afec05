import type { Incident, IncidentStatus } from '../core/incident/incident.js';
import { findRepeat, type Repeat } from '../core/incident/repeats.js';
import type { IncidentRepository } from '../ports/incident-repository.js';

/** Closed incidents read per status: a region closes fewer than this in a window. */
const SCAN = 5_000;
const DONE: readonly IncidentStatus[] = ['closed', 'answered_final'];

/**
 * Finds, for new alerts, the incident closed within the window that they repeat. Reads the recently
 * closed incidents at most once a minute; the decision itself is the pure findRepeat.
 */
export class RepeatFinder {
  constructor(
    private readonly d: {
      store: Pick<IncidentRepository, 'newestByStatus' | 'getMany'>;
      contains: (outer: string, inner: string) => boolean;
      windowDays: number;
      now: () => Date;
      /** How long one read of the closed incidents serves later batches (the route stage runs per batch). */
      refreshMs?: number;
    },
  ) {}

  private cached: { at: number; closed: Incident[] } | undefined;

  /**
   * The incidents closed within the window, read at most once per `refreshMs`: the route stage asks
   * for every batch with alerts, and a repeat window is days long, so a minute's staleness costs nothing.
   */
  private async recentlyClosed(now: Date): Promise<Incident[]> {
    if (this.cached && now.getTime() - this.cached.at < (this.d.refreshMs ?? 60_000)) return this.cached.closed;
    const since = new Date(now.getTime() - this.d.windowDays * 86_400_000).toISOString();
    const closed: Incident[] = [];
    for (const status of DONE) {
      const ids = await this.d.store.newestByStatus(status, SCAN);
      for (let i = 0; i < ids.length; i += 500) for (const inc of await this.d.store.getMany(ids.slice(i, i + 500))) if (inc.updatedAt >= since) closed.push(inc);
    }
    this.cached = { at: now.getTime(), closed };
    return closed;
  }

  async findMany(alerts: readonly Incident[]): Promise<(Repeat | undefined)[]> {
    if (alerts.length === 0 || this.d.windowDays <= 0) return alerts.map(() => undefined);
    const now = this.d.now();
    const closed = await this.recentlyClosed(now);
    return alerts.map((a) => findRepeat(a, closed, { contains: this.d.contains, windowDays: this.d.windowDays, now }));
  }
}
