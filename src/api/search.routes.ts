import { z, type ZodTypeAny } from 'zod';
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { parseQuery, searchQuerySchema, slaQuerySchema, termsQuerySchema, trendQuerySchema, type SearchQuery, type SlaQuery, type TerritoryScope, type TermsQuery, type TrendQuery } from '../core/search/query.js';
import type { AccessPolicy } from '../core/access/access-policy.js';
import type { SearchIndex } from '../ports/search-index.js';
import { principalOf } from './auth.js';
import { routePlugin } from './plugin.js';
import { isOtklikError, OtklikError } from '../core/errors.js';
import { untilClientGone } from './client-gone.js';
import { toCsv, type Cell } from '../reports/csv.js';
import type { Spike } from '../reports/spike-watch.js';
import { MAX_SPIKES_READ } from '../core/spikes/spike.js';
import { PLATFORM_NAMES, SENTIMENT_NAMES, TYPE_NAMES, localDateTime, zoneLabel } from '../reports/labels.js';

const MAX_EXPORT_ROWS = 5000;

/** Search queries keep their own error code (SEARCH_QUERY_INVALID) and get the parsed text query. */
const searchValidator: FastifySchemaCompiler<ZodTypeAny> =
  ({ schema }) =>
  (data: unknown) => {
    try {
      const value: unknown = parseQuery(schema, data);
      return { value };
    } catch (e) {
      return { error: e as Error };
    }
  };

/** Search, trends and aggregations for the console and analysts' scripts. */
export const searchRoutes = routePlugin<{
  search: SearchIndex;
  access: AccessPolicy;
  now: () => Date;
  /** Exports name topics as people read them. */
  topicName?: (id: string) => string;
  /** The zone exports write dates in (the region's, as reports). */
  zone?: string;
  /** Surges the leader found in the last week (absent: the engine does not look for them). */
  spikes?: () => Promise<Spike[]>;
  /** Judges every hour of a past period for spikes; the finds are kept and told like the scheduled scan's. */
  lookBack?: (from: Date, to: Date) => Promise<Spike[]>;
  /** Is territory `inner` inside `outer`? (The gazetteer; spikes filtered by a city include its districts.) */
  territoryContains?: (outer: string, inner: string) => boolean;
}>('otklik-search-routes', (app, { search, access, now, topicName = (id) => id, zone = 'Europe/Moscow', spikes, lookBack, territoryContains }) => {
  const spikeQuery = z
    .object({
      topic: z.string().min(1).max(100).optional(),
      territory: z.string().min(1).max(200).optional(),
      kind: z.enum(['posts', 'alerts']).optional(),
      from: z.string().datetime({ offset: true }).optional(),
      to: z.string().datetime({ offset: true }).optional(),
    })
    .strict();
  const lookBackBody = z
    .object({ from: z.string().datetime({ offset: true }), to: z.string().datetime({ offset: true }) })
    .strict()
    .refine((b) => Date.parse(b.from) < Date.parse(b.to), { message: 'from must be before to', path: ['to'] });
  app.setValidatorCompiler(searchValidator);
  // This plugin scope holds only search routes: the check covers exactly them.
  app.addHook('preHandler', async (req) => access.require(principalOf(req), 'search'));
  // Every read of posts carries the caller's territory scope (a moderator's regions), as incidents do.
  const scoped = <Q extends object>(req: FastifyRequest, q: Q): Q & { scope?: TerritoryScope } => {
    const scope = access.territoryScope(principalOf(req));
    return scope ? { ...q, scope } : q;
  };
  const opts = (schema: ZodTypeAny, summary: string) => ({ schema: { querystring: schema, tags: ['search'], summary } });
  app.get('/search', opts(searchQuerySchema, 'Full-text search over posts with filters'), async (req, reply) => search.search(scoped(req, req.query as SearchQuery), { signal: untilClientGone(reply) }));
  app.get('/search/export.csv', opts(searchQuerySchema, `The posts a search finds as CSV (newest first, at most ${MAX_EXPORT_ROWS} rows)`), async (req, reply) => {
    const q = scoped(req, req.query as SearchQuery);
    const signal = untilClientGone(reply);
    // Labels, not codes, and local time: the file is opened in a spreadsheet by people.
    const rows: Cell[][] = [['id', `дата (${zoneLabel(zone, now())})`, 'платформа', 'источник', 'тема', 'территория', 'тональность', 'тип', 'оповещение', 'обращение', 'ссылка', 'текст']];
    for (let page = 1; page <= MAX_EXPORT_ROWS / 100; page++) {
      // A client that went away stops the export: the running page is stopped, no next one starts.
      let r;
      try {
        r = await search.search({ ...q, page, size: 100 }, { signal });
      } catch (e) {
        if (isOtklikError(e) && e.code === 'SEARCH_QUERY_CANCELLED') req.log.info({ pages: page - 1 }, 'export stopped: the client went away');
        throw e;
      }
      for (const h of r.items) {
        rows.push([h.id, localDateTime(h.createdAt, zone), PLATFORM_NAMES[h.platform] ?? h.platform, h.source, h.topic ? topicName(h.topic) : '', h.territory, SENTIMENT_NAMES[h.sentiment] ?? h.sentiment, TYPE_NAMES[h.type] ?? h.type, h.alert ? 'да' : 'нет', h.incidentId, h.permalink, h.text]);
      }
      if (page * 100 >= r.total) break;
    }
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="otklik-search.csv"').send(toCsv(rows));
  });
  app.get('/spikes', { schema: { querystring: spikeQuery, tags: ['search'], summary: 'Surges of posts (or alerts) about a topic in a territory, newest first, with their evidence (count, expected range, top posts, words that rose): the last week\'s as the leader keeps them, earlier ones from the search index; filtered by topic (a group covers its topics), territory (covers its parts), kind and hour (from, to); a moderator sees their regions\' only' } }, async (req, reply) => {
    const q = req.query as z.infer<typeof spikeQuery>;
    const scope = access.territoryScope(principalOf(req));
    const inside = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}, `) || (territoryContains?.(outer, inner) ?? false);
    const from = q.from ? new Date(q.from).toISOString() : undefined;
    const to = q.to ? new Date(q.to).toISOString() : undefined;
    // The leader's week is the freshest (kept before it is indexed); the index has the ones before it.
    const kept = spikes ? await spikes() : [];
    let indexed: Spike[] = [];
    let partial: string | undefined;
    if (spikes) {
      try {
        indexed = await search.spikes({ ...(from ? { from } : {}), ...(to ? { to } : {}), ...(q.kind ? { kind: q.kind } : {}), size: MAX_SPIKES_READ }, { signal: untilClientGone(reply) });
      } catch (e) {
        // The leader's week still answers when the index does not; the caller is told the rest is missing.
        if (!isOtklikError(e) || e.code === 'SEARCH_QUERY_CANCELLED') throw e;
        req.log.warn({ err: e.message }, 'spikes: the search index did not answer; the last week only');
        partial = `only the last week: the search index did not answer (${e.code})`;
      }
    }
    const byKey = new Map(kept.map((s) => [s.key, s]));
    for (const s of indexed) if (!byKey.has(s.key)) byKey.set(s.key, s);
    const items = [...byKey.values()]
      .filter(
        (s) =>
          (!scope || scope.exact.includes(s.territory) || scope.prefixes.some((p) => s.territory.startsWith(p))) &&
          (!q.topic || s.topic === q.topic || s.topic.startsWith(`${q.topic}.`)) &&
          (!q.territory || inside(q.territory, s.territory)) &&
          (!q.kind || s.kind === q.kind) &&
          (!from || s.hour >= from) &&
          (!to || s.hour < to),
      )
      .sort((a, b) => b.hour.localeCompare(a.hour));
    return { items, total: items.length, ...(partial ? { partial } : {}) };
  });
  app.post('/spikes/scan', { schema: { body: lookBackBody, tags: ['search'], summary: 'Look back for spikes over a past period (at most 31 days): every hour judged against its own fortnight before; the spikes found are kept for the console and told to the moderators like the scheduled scan\'s' } }, async (req, reply) => {
    const who = principalOf(req);
    access.require(who, 'reports');
    if (!lookBack) throw new OtklikError('SEARCH_NOT_CONFIGURED', 'spike detection needs the search index');
    const b = req.body as z.infer<typeof lookBackBody>;
    const found = await lookBack(new Date(b.from), new Date(b.to));
    const scope = access.territoryScope(who);
    const items = found.filter((s) => !scope || scope.exact.includes(s.territory) || scope.prefixes.some((p) => s.territory.startsWith(p)));
    return reply.code(200).send({ items, total: items.length });
  });
  app.get('/trends', opts(trendQuerySchema, 'Post counts over time, optionally split by a field'), async (req, reply) => {
    const q = scoped(req, req.query as TrendQuery);
    return { interval: q.interval, by: q.by ?? null, buckets: await search.trends(q, { signal: untilClientGone(reply) }) };
  });
  app.get('/aggregations/terms', opts(termsQuerySchema, 'The most frequent values of a field'), async (req, reply) => {
    const q = scoped(req, req.query as TermsQuery);
    return { field: q.field, terms: await search.terms(q, { signal: untilClientGone(reply) }) };
  });
  app.get('/aggregations/sla', opts(slaQuerySchema, 'First-response SLA compliance per body'), async (req, reply) => {
    const q = req.query as SlaQuery;
    // A moderator of some regions reads their regions' bodies only (an empty body list would mean all).
    const allowed = access.reportBodies(principalOf(req));
    const body = allowed ? (q.body ?? allowed).filter((b) => allowed.includes(b)) : q.body;
    if (allowed && body?.length === 0) return { bodies: [] };
    return { bodies: await search.sla({ ...q, ...(body ? { body } : {}) }, now(), { signal: untilClientGone(reply) }) };
  });
});
