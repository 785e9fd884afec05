import type { FastifyInstance } from 'fastify';
import { parseQuery, searchQuerySchema, slaQuerySchema, termsQuerySchema, trendQuerySchema } from '../core/search/query.js';
import type { SearchIndex } from '../search/search-index.js';

/** Search, trends and aggregations for the console and analysts' scripts. */
export function registerSearchRoutes(app: FastifyInstance, search: SearchIndex, now: () => Date): void {
  app.get('/search', async (req) => search.search(parseQuery(searchQuerySchema, req.query)));
  app.get('/trends', async (req) => {
    const q = parseQuery(trendQuerySchema, req.query);
    return { interval: q.interval, by: q.by ?? null, buckets: await search.trends(q) };
  });
  app.get('/aggregations/terms', async (req) => {
    const q = parseQuery(termsQuerySchema, req.query);
    return { field: q.field, terms: await search.terms(q) };
  });
  app.get('/aggregations/sla', async (req) => ({ bodies: await search.sla(parseQuery(slaQuerySchema, req.query), now()) }));
}
