import { routePlugin } from './plugin.js';
import { OtklikError } from '../core/errors.js';
import { routeTableProblems, routeTableSchema, type RouteTable } from '../core/routing/router.js';
import type { BodyDirectory } from '../core/bodies/bodies.js';
import type { AccessPolicy } from '../core/access/access-policy.js';
import type { RouteTables } from '../ports/route-table.js';
import { principalOf } from './auth.js';
import { pageQuery, paged, type PageQuery } from './paging.js';

/**
 * The route table: read by admins, replaced as a whole (routes are few and the most specific match
 * wins, so a whole table is easier to review than patches), reset to the rules file. Workers pick a
 * change up within a second.
 */
export const routingRoutes = routePlugin<{ fromFile: RouteTable; store: RouteTables; bodies: BodyDirectory; topicIds: readonly string[]; access: AccessPolicy; now: () => Date }>('otklik-routing-routes', (app, d) => {
  const topics = new Set(d.topicIds);
  const inForce = async () => {
    const stored = await d.store.get();
    return stored ? { origin: 'api' as const, table: stored.table, updatedBy: stored.updatedBy, updatedAt: stored.updatedAt } : { origin: 'rules' as const, table: d.fromFile };
  };

  app.get('/routing', { schema: { querystring: pageQuery, tags: ['admin'], summary: 'The routes in force (paged), the fallback body, and whether they come from the rules file or the API' } }, async (req) => {
    const { table, ...meta } = await inForce();
    return { ...meta, fallbackBody: table.fallbackBody, ...paged(table.routes, req.query as PageQuery) };
  });

  app.put('/routing', { schema: { body: routeTableSchema, tags: ['admin'], summary: 'Replace the route table (over the rules file until reset); every body and topic must exist' } }, async (req) => {
    const table = req.body as RouteTable;
    const problems = routeTableProblems(table, { bodies: (id) => d.bodies.has(id), topics: (id) => topics.has(id) });
    if (problems.length > 0) throw new OtklikError('VALIDATION_FAILED', problems.join('; '), { details: { problems } });
    const saved = await d.store.set(table, d.access.actor(principalOf(req)).id, d.now());
    req.log.info({ routes: table.routes.length, version: saved.version }, 'route table set through the API');
    return { origin: 'api', updatedBy: saved.updatedBy, updatedAt: saved.updatedAt, fallbackBody: table.fallbackBody, total: table.routes.length };
  });

  app.delete('/routing', { schema: { tags: ['admin'], summary: "Back to the rules file's routes" } }, async () => {
    await d.store.clear();
    return { origin: 'rules', fallbackBody: d.fromFile.fallbackBody, total: d.fromFile.routes.length };
  });
});
