import type { Incident, IncidentStatus } from '../core/incident/incident.js';
import { OPEN_STATUSES, compareIncidents, matchesIncident, statusesOf, type IncidentQuery } from '../core/incident/incident-query.js';
import { similarIncidents, type SimilarIncident } from '../core/incident/similar.js';
import type { AccessPolicy } from '../core/access/access-policy.js';
import type { Principal } from '../core/access/principal.js';
import type { IncidentRepository } from '../ports/incident-repository.js';

export interface IncidentPage {
  items: Incident[];
  total: number;
  page: number;
  size: number;
  /** True when more incidents matched the statuses than one listing reads (narrow the filters). */
  truncated: boolean;
}

/** How many incidents one listing reads at most, newest first, before filtering. */
export const LISTING_SCAN_LIMIT = 20_000;
/** Duplicates are looked for among the newest alerts and open incidents of each status. */
export const SIMILAR_SCAN_LIMIT = 3_000;

/**
 * Lists the incidents a principal may see, filtered, sorted and paged. Reads the status indexes
 * newest first and filters in memory: the working sets (alerts, open incidents) are thousands, not
 * millions; closed history is searched through the search index instead.
 */
export class IncidentListing {
  constructor(
    private readonly store: Pick<IncidentRepository, 'newestByStatus' | 'getMany'>,
    private readonly access: AccessPolicy,
    private readonly within: (outer: string, inner: string) => boolean,
  ) {}

  async list(p: Principal, q: IncidentQuery): Promise<IncidentPage> {
    let truncated = false;
    const ids: string[] = [];
    for (const status of statusesOf(q)) {
      const got = await this.store.newestByStatus(status, LISTING_SCAN_LIMIT + 1);
      if (got.length > LISTING_SCAN_LIMIT) truncated = true;
      ids.push(...got.slice(0, LISTING_SCAN_LIMIT));
    }
    const matched: Incident[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      for (const inc of await this.store.getMany(ids.slice(i, i + 500))) {
        if (this.access.canSee(p, inc) && matchesIncident(inc, q, this.within)) matched.push(inc);
      }
    }
    matched.sort(compareIncidents(q.sort));
    const start = (q.page - 1) * q.size;
    return { items: matched.slice(start, start + q.size), total: matched.length, page: q.page, size: q.size, truncated };
  }

  /** Every incident of these statuses the principal may see, newest first (each status read up to the scan limit). */
  async ofStatuses(p: Principal, statuses: readonly IncidentStatus[]): Promise<Incident[]> {
    const out: Incident[] = [];
    for (const status of statuses) {
      const ids = await this.store.newestByStatus(status, LISTING_SCAN_LIMIT);
      for (let i = 0; i < ids.length; i += 500) for (const inc of await this.store.getMany(ids.slice(i, i + 500))) if (this.access.canSee(p, inc)) out.push(inc);
    }
    return out.sort(compareIncidents('newest'));
  }

  /** Alerts and open incidents the principal may see that are likely about the same problem as `target`. */
  async similar(p: Principal, target: Incident, limit = 5): Promise<SimilarIncident[]> {
    const ids: string[] = [];
    for (const status of ['alert' as const, ...OPEN_STATUSES]) ids.push(...(await this.store.newestByStatus(status, SIMILAR_SCAN_LIMIT)));
    const candidates: Incident[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      for (const inc of await this.store.getMany(ids.slice(i, i + 500))) if (this.access.canSee(p, inc)) candidates.push(inc);
    }
    return similarIncidents(target, candidates, { contains: this.within, limit });
  }
}
