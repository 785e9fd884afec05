import { routePlugin } from './plugin.js';
import { z } from 'zod';
import { OtklikError } from '../core/errors.js';
import { incidentActionSchema, type IncidentAction } from '../core/incident/lifecycle.js';
import { incidentQuerySchema, type IncidentQuery } from '../core/incident/incident-query.js';
import type { AccessPolicy } from '../core/access/access-policy.js';
import type { Principal } from '../core/access/principal.js';
import type { BodyDirectory } from '../core/bodies/bodies.js';
import type { IncidentService } from '../incidents/incident.service.js';
import type { IncidentListing } from '../incidents/incident-listing.js';
import type { IncidentRepository } from '../ports/incident-repository.js';
import type { IncidentPostsReader } from '../incidents/incident-posts.js';
import { principalOf } from './auth.js';
import { incidentView } from './incident-view.js';

/** Actions only the engine takes (timers, duplicate detection); people cannot send them. */
const SYSTEM_ACTIONS = new Set<string>(['clock_warning', 'clock_due', 'attach_duplicate', 'mark_repeat', 'reaction']);

const userAction = incidentActionSchema.superRefine((a, ctx) => {
  if (SYSTEM_ACTIONS.has(a.type)) ctx.addIssue({ code: 'custom', path: ['type'], message: `"${a.type}" is taken by the engine, not by people` });
  if (a.type === 'answer' && a.publication !== undefined) ctx.addIssue({ code: 'custom', path: ['publication'], message: 'recorded by the engine when it publishes the answer, not sent' });
});

const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_.+-]{1,100}$/, 'an incident id') }).strict();
const postsQuery = z.object({ page: z.coerce.number().int().min(1).max(100).default(1), size: z.coerce.number().int().min(1).max(100).default(50) }).strict();
const actionBody = z.object({ action: userAction, expectedVersion: z.number().int().min(1).optional() }).strict();
const bulkBody = z
  .object({ items: z.array(z.object({ incidentId: idParams.shape.id, action: userAction, expectedVersion: z.number().int().min(1).optional() }).strict()).min(1).max(200) })
  .strict();

export interface IncidentRoutesDeps {
  service: IncidentService;
  store: IncidentRepository;
  listing: IncidentListing;
  access: AccessPolicy;
  bodies: BodyDirectory;
  /** Reads an incident's copies and thread from the search index (absent when search is off). */
  posts?: IncidentPostsReader;
}

/** The moderators' queue, the responders' desk, and every action on incidents. */
export const incidentRoutes = routePlugin<IncidentRoutesDeps>('otklik-incident-routes', (app, d) => {
  const visible = async (p: Principal, id: string) => d.access.requireVisible(p, id, await d.store.get(id));

  /** An action may name a second incident (merge into it): the principal must see that one too. */
  const checkAction = async (p: Principal, id: string, action: IncidentAction) => {
    await visible(p, id);
    if (action.type === 'merge') await visible(p, action.intoId);
  };

  app.get('/incidents', { schema: { querystring: incidentQuerySchema, tags: ['incidents'], summary: 'Alerts and incidents the caller may see, filtered and paged' } }, async (req) => {
    const p = principalOf(req);
    d.access.require(p, 'incidents:read');
    const page = await d.listing.list(p, req.query as IncidentQuery);
    return { ...page, items: page.items.map((i) => incidentView(i, d.bodies)) };
  });

  app.get('/incidents/:id', { schema: { params: idParams, tags: ['incidents'], summary: 'One incident with its audit trail' } }, async (req) => {
    const p = principalOf(req);
    const { id } = req.params as z.infer<typeof idParams>;
    const incident = await visible(p, id);
    return { incident: incidentView(incident, d.bodies), events: await d.store.events(id) };
  });

  app.get('/incidents/:id/posts', { schema: { params: idParams, querystring: postsQuery, tags: ['incidents'], summary: "The incident's posts side by side (the opening one and its copies), their comment thread, and what a comment answers; paged" } }, async (req) => {
    const p = principalOf(req);
    const { id } = req.params as z.infer<typeof idParams>;
    const { page, size } = req.query as z.infer<typeof postsQuery>;
    const incident = await visible(p, id);
    if (!d.posts) throw new OtklikError('SEARCH_UNAVAILABLE', 'search is switched off: the posts of an incident are read from the search index');
    return d.posts.of(incident, page, size);
  });

  app.get('/incidents/:id/similar', { schema: { params: idParams, tags: ['incidents'], summary: 'Alerts and open incidents likely about the same problem (near text, same topic, place and house), best first: candidates to merge' } }, async (req) => {
    const p = principalOf(req);
    const { id } = req.params as z.infer<typeof idParams>;
    const incident = await visible(p, id);
    const found = await d.listing.similar(p, incident);
    return { items: found.map((s) => ({ ...s, incident: incidentView(s.incident, d.bodies) })) };
  });

  app.post('/incidents/:id/actions', { schema: { params: idParams, body: actionBody, tags: ['incidents'], summary: 'Act on an incident (accept, reject, answer, …)' } }, async (req) => {
    const p = principalOf(req);
    const actor = d.access.actor(p);
    const { id } = req.params as z.infer<typeof idParams>;
    const { action, expectedVersion } = req.body as z.infer<typeof actionBody>;
    await checkAction(p, id, action);
    const incident = await d.service.act(id, action, actor, expectedVersion);
    return { incident: incidentView(incident, d.bodies) };
  });

  app.post('/incidents/actions', { schema: { body: bulkBody, tags: ['incidents'], summary: 'Bulk moderation: one action per incident, each reported' } }, async (req) => {
    const p = principalOf(req);
    const actor = d.access.actor(p);
    const { items } = req.body as z.infer<typeof bulkBody>;
    const allowed: typeof items = [];
    const refused: { ok: false; incidentId: string; error: { code: string; message: string } }[] = [];
    for (const item of items) {
      try {
        await checkAction(p, item.incidentId, item.action);
        allowed.push(item);
      } catch (e) {
        if (!(e instanceof OtklikError)) throw e;
        refused.push({ ok: false, incidentId: item.incidentId, error: { code: e.code, message: e.message } });
      }
    }
    const done = await d.service.actMany(allowed, actor);
    const byId = new Map<string, unknown>(refused.map((r) => [r.incidentId, r]));
    done.forEach((r, n) => byId.set(allowed[n]?.incidentId ?? '', r.ok ? { ok: true, incident: incidentView(r.incident, d.bodies) } : r));
    // One result per item, in the order sent.
    return { results: items.map((i) => byId.get(i.incidentId)) };
  });
});
