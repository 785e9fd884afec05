import { z } from 'zod';
import { routePlugin } from './plugin.js';
import { OtklikError } from '../core/errors.js';
import { statusesFor, toRequest, toService, type Open311Request } from '../core/open311/georeport.js';
import type { Principal } from '../core/access/principal.js';
import type { IncidentListing } from '../incidents/incident-listing.js';
import type { IncidentRepository } from '../ports/incident-repository.js';

/** The standard's default window and page when a client names none (GeoReport v2: the last 90 days). */
const DEFAULT_DAYS = 90;
const PAGE_SIZE = 1000;

const instant = z.string().datetime({ offset: true });
const list = z
  .string()
  .max(2000)
  .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s !== ''));
const requestsQuery = z
  .object({
    service_request_id: list.optional(),
    service_code: list.optional(),
    start_date: instant.optional(),
    end_date: instant.optional(),
    status: z.enum(['open', 'closed']).optional(),
    /** Accepted and ignored: one engine serves one jurisdiction. */
    jurisdiction_id: z.string().max(200).optional(),
    page: z.coerce.number().int().min(1).max(1000).default(1),
  })
  .strict();
const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_.+-]{1,100}$/) }).strict();
const servicesQuery = z.object({ jurisdiction_id: z.string().max(200).optional() }).strict();

/** Reads every region's incidents: Open311 clients are anonymous readers of what was accepted. */
const READER: Principal = { kind: 'api_key', id: 'open311', name: 'Open311', role: 'analyst', regions: [] };

/**
 * Open311 GeoReport v2, read only, at /open311/v2/ (JSON): services.json, requests.json and
 * requests/{id}.json. Public, like the standard's GET methods; rate-limited as every route.
 */
export const open311Routes = routePlugin<{
  listing: IncidentListing;
  store: Pick<IncidentRepository, 'get'>;
  topics: readonly { id: string; name: string }[];
  bodyName: (id: string) => string;
  now: () => Date;
}>('otklik-open311-routes', (app, d) => {
  const names = new Map(d.topics.map((t) => [t.id, t.name]));
  const naming = { topicName: (id: string) => names.get(id) ?? id, bodyName: d.bodyName };
  const open = { config: { public: true } };

  app.get('/open311/v2/services.json', { ...open, schema: { querystring: servicesQuery, tags: ['open311'], summary: 'GeoReport v2 service list: the engine\'s topics' } }, async () =>
    d.topics.map((t) => toService(t, (g) => names.get(g) ?? g)),
  );

  app.get('/open311/v2/requests.json', { ...open, schema: { querystring: requestsQuery, tags: ['open311'], summary: 'GeoReport v2 service requests: accepted incidents, newest first (the last 90 days unless dates are given; 1,000 a page)' } }, async (req) => {
    const q = req.query as z.infer<typeof requestsQuery>;
    const end = q.end_date ? new Date(q.end_date) : d.now();
    const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - DEFAULT_DAYS * 86_400_000);
    if (start > end) throw new OtklikError('VALIDATION_FAILED', 'start_date is after end_date');
    const ids = q.service_request_id ? new Set(q.service_request_id) : undefined;
    const codes = q.service_code;
    const out: Open311Request[] = [];
    for (const i of await d.listing.ofStatuses(READER, statusesFor(q.status))) {
      if (ids && !ids.has(i.id)) continue;
      if (codes && !codes.some((c) => c === i.topic || c === i.subtopic)) continue;
      const requested = new Date(i.postedAt ?? i.createdAt);
      // Asked for by id: whatever its date, as the standard says ids override the other filters.
      if (!ids && (requested < start || requested > end)) continue;
      const r = toRequest(i, naming);
      if (r) out.push(r);
    }
    return out.slice((q.page - 1) * PAGE_SIZE, q.page * PAGE_SIZE);
  });

  app.get('/open311/v2/requests/:id.json', { ...open, schema: { params: idParams, tags: ['open311'], summary: 'GeoReport v2: one service request (an array of one, as the standard has it)' } }, async (req) => {
    const { id } = req.params as z.infer<typeof idParams>;
    const incident = await d.store.get(id);
    const r = incident ? toRequest(incident, naming) : undefined;
    if (!r) throw new OtklikError('NOT_FOUND', `no service request ${id}`);
    return [r];
  });
});
