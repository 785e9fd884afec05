import { routePlugin } from './plugin.js';
import type { AccessPolicy } from '../core/access/access-policy.js';
import type { BodyDirectory } from '../core/bodies/bodies.js';
import type { HealthReport } from './health.js';
import { principalOf } from './auth.js';
import { pageQuery, paged, type PageQuery } from './paging.js';

/** What the console offers to choose from: bodies, topics, territories, sources and their health. */
export const directoryRoutes = routePlugin<{
  access: AccessPolicy;
  bodies: BodyDirectory;
  topics: { id: string; name: string }[];
  /** The gazetteer's territories, parents before their parts: filters take a territory and cover its parts. */
  territories: { id: string; parent?: string; depth: number }[];
  health: () => Promise<HealthReport>;
}>('otklik-directory-routes', (app, d) => {
  const schema = (tags: string[], summary: string) => ({ schema: { querystring: pageQuery, tags, summary } });
  app.get('/bodies', schema(['directory'], 'Responsible bodies and their hierarchy, paged'), async (req) => {
    d.access.require(principalOf(req), 'bodies:read');
    const items = d.bodies.all().map((b) => ({ id: b.id, name: b.name, ...(b.parent ? { parent: b.parent } : {}), ...(b.territory ? { territory: b.territory } : {}), timeZone: b.timeZone, sla: b.sla }));
    return paged(items, req.query as PageQuery);
  });
  app.get('/topics', schema(['directory'], 'Topic groups and topics with their names, paged'), async (req) => paged(d.topics, req.query as PageQuery));
  app.get('/territories', schema(['directory'], 'Territories of the gazetteer (region → city → district), parents before their parts, paged'), async (req) => paged(d.territories, req.query as PageQuery));
  app.get('/sources', schema(['directory'], 'Sources and their health (last poll, errors, items seen), paged'), async (req) => {
    d.access.require(principalOf(req), 'sources:read');
    return paged((await d.health()).sources, req.query as PageQuery);
  });
});
