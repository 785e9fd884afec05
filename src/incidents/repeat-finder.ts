import type { Incident, IncidentStatus } from '../core/incident/incident.js';
import { findRepeat, type Repeat } from '../core/incident/repeats.js';
import type { IncidentRepository } from '../ports/incident-repository.js';

/** Closed incidents read per status for one batch of alerts: a region closes fewer in a window. */
const SCAN = 5_000;
const DONE: readonly IncidentStatus[] = ['closed', 'answered_final'];

/**
 * Finds, for new alerts, the incident closed within the window that they repeat. Reads the recently
 * closed incidents once per batch; the decision itself is the pure findRepeat.
 */
export class RepeatFinder {
  constructor(
    private readonly d: {
      store: Pick<IncidentRepository, 'newestByStatus' | 'getMany'>;
      contains: (outer: string, inner: string) => boolean;
      windowDays: number;
      now: () => Date;
    },
  ) {}

  async findMany(alerts: readonly Incident[]): Promise<(Repeat | undefined)[]> {
    if (alerts.length === 0 || this.d.windowDays <= 0) return alerts.map(() => undefined);
    const now = this.d.now();
    const since = new Date(now.getTime() - this.d.windowDays * 86_400_000).toISOString();
    const closed: Incident[] = [];
    for (const status of DONE) {
      const ids = await this.d.store.newestByStatus(status, SCAN);
      for (let i = 0; i < ids.length; i += 500) for (const inc of await this.d.store.getMany(ids.slice(i, i + 500))) if (inc.updatedAt >= since) closed.push(inc);
    }
    return alerts.map((a) => findRepeat(a, closed, { contains: this.d.contains, windowDays: this.d.windowDays, now }));
  }
}
