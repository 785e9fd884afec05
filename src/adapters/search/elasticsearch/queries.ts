import type { estypes } from '@elastic/elasticsearch';
import type { Filters, SearchQuery, SlaQuery, TermsQuery, TrendQuery } from '../../../core/search/query.js';
import type { TextNode } from '../../../core/search/text-query.js';
import type { EsNames } from './templates.js';
import { MAX_SPIKES_READ, type SpikeQuery } from '../../../core/spikes/spike.js';

/**
 * Query fields by the query model's names; a closed map, so no user text becomes a field name.
 * These are the exact fields aggregations read; filters go through FILTER_FIELDS.
 */
export const POST_FIELDS = {
  topic: 'otklik.topic',
  sentiment: 'otklik.sentiment',
  type: 'otklik.type',
  platform: 'otklik.platform',
  source: 'otklik.source',
  territory: 'otklik.territory',
} as const;

/** Filters: the same fields, but place names are matched case- and ё-insensitively on their `.lc`. */
const FILTER_FIELDS: Record<keyof typeof POST_FIELDS, string> = { ...POST_FIELDS, territory: 'otklik.territory.lc' };

/** The text query as a bool tree: words through the stemmed `message`, phrases on `message.exact`. */
export function textToDsl(node: TextNode): estypes.QueryDslQueryContainer {
  switch (node.kind) {
    case 'term':
      return { match: { message: { query: node.word } } };
    case 'phrase':
      return { match_phrase: { 'message.exact': { query: node.words.join(' ') } } };
    case 'or':
      return { bool: { should: node.nodes.map(textToDsl), minimum_should_match: 1 } };
    case 'and':
      return { bool: { must: node.must.map(textToDsl), ...(node.mustNot.length > 0 ? { must_not: node.mustNot.map(textToDsl) } : {}) } };
  }
}

/**
 * Filters on post fields. Incident filters (body, status, priority) are resolved first to incident
 * ids (`incidentIds`), because they live on incidents, not posts.
 */
export function postFilters(f: Filters, incidentIds?: readonly string[]): estypes.QueryDslQueryContainer[] {
  const out: estypes.QueryDslQueryContainer[] = [];
  for (const [key, field] of Object.entries(FILTER_FIELDS) as [keyof typeof POST_FIELDS, string][]) {
    const values = f[key];
    if (values && values.length > 0) out.push({ terms: { [field]: [...values] } });
  }
  if (f.id?.length) out.push({ terms: { 'otklik.post.id': [...f.id] } });
  if (f.incident?.length) out.push({ terms: { 'otklik.incident_id': [...f.incident] } });
  if (f.parent?.length) out.push({ terms: { 'otklik.post.parent_id': [...f.parent] } });
  if (f.scope) {
    // A scoped caller: posts in the territories (exact names, as stored), under them, or with none.
    // Shapes as Elastic's Query DSL reference gives them: bool should + minimum_should_match, exists, terms, prefix { value }.
    const field = POST_FIELDS.territory;
    out.push({
      bool: {
        should: [
          { bool: { must_not: [{ exists: { field } }] } },
          ...(f.scope.exact.length > 0 ? [{ terms: { [field]: [...f.scope.exact] } }] : []),
          ...f.scope.prefixes.map((p) => ({ prefix: { [field]: { value: p } } })),
        ],
        minimum_should_match: 1,
      },
    });
  }
  if (f.alert !== undefined) out.push({ term: { 'otklik.alert': f.alert } });
  if (f.from || f.to) out.push({ range: { '@timestamp': { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } } });
  if (incidentIds) out.push({ terms: { 'otklik.incident_id': [...incidentIds] } });
  return out;
}

export function needsIncidentLookup(f: Filters): boolean {
  return (f.body?.length ?? 0) > 0 || (f.status?.length ?? 0) > 0 || (f.priority?.length ?? 0) > 0;
}

/** Ids of incidents matching the incident filters (up to the terms-query limit). */
export function incidentLookupRequest(n: EsNames, f: Filters): estypes.SearchRequest {
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (f.body?.length) filter.push({ terms: { 'otklik.incident.body_id': [...f.body] } });
  if (f.status?.length) filter.push({ terms: { 'otklik.incident.status': [...f.status] } });
  if (f.priority?.length) filter.push({ terms: { 'otklik.incident.priority': [...f.priority] } });
  // Incident documents are stored under their id, so the hits' _id is all that is needed.
  return { index: n.incidentsAlias, size: 10_000, _source: false, query: { bool: { filter } } };
}

function postQuery(f: Filters, text: TextNode | undefined, incidentIds?: readonly string[]): estypes.QueryDslQueryContainer {
  return { bool: { ...(text ? { must: [textToDsl(text)] } : {}), filter: postFilters(f, incidentIds) } };
}

export function searchRequest(n: EsNames, q: SearchQuery, incidentIds?: readonly string[]): estypes.SearchRequest {
  const sort: estypes.Sort =
    q.sort === 'relevance' && q.text ? ['_score', { '@timestamp': 'desc' }] : [{ '@timestamp': q.sort === 'oldest' ? 'asc' : 'desc' }, { 'otklik.post.id': 'asc' }];
  return {
    index: n.postsAlias,
    query: postQuery(q, q.text, incidentIds),
    sort,
    from: (q.page - 1) * q.size,
    size: q.size,
    track_total_hits: true,
    // An edit that lands after a rollover leaves two revisions in two indices: show one.
    collapse: { field: 'otklik.post.id' },
    aggs: { posts: { cardinality: { field: 'otklik.post.id' } } },
  };
}

const INTERVALS: Record<TrendQuery['interval'], estypes.AggregationsCalendarInterval> = { hour: 'hour', day: 'day', week: 'week', month: 'month' };

export function trendsRequest(n: EsNames, q: TrendQuery, incidentIds?: readonly string[]): estypes.SearchRequest {
  return {
    index: n.postsAlias,
    size: 0,
    query: postQuery(q, q.text, incidentIds),
    aggs: {
      over_time: {
        date_histogram: { field: '@timestamp', calendar_interval: INTERVALS[q.interval], time_zone: 'UTC', min_doc_count: 1 },
        ...(q.by ? { aggs: { by: { terms: { field: POST_FIELDS[q.by], size: 100 } } } } : {}),
      },
    },
  };
}

export function termsRequest(n: EsNames, q: TermsQuery, incidentIds?: readonly string[]): estypes.SearchRequest {
  return {
    index: n.postsAlias,
    size: 0,
    query: postQuery(q, q.text, incidentIds),
    aggs: { top: { terms: { field: POST_FIELDS[q.field], size: q.size, order: [{ _count: 'desc' }, { _key: 'asc' }] } } },
  };
}

/** First-response body clocks: ended ones in the period (met/late), and running ones overdue now. */
export function slaRequest(n: EsNames, q: SlaQuery, now: Date): estypes.SearchRequest {
  const bodyFilter: estypes.QueryDslQueryContainer[] = q.body?.length ? [{ terms: { 'otklik.clocks.body_id': [...q.body] } }] : [];
  const base: estypes.QueryDslQueryContainer[] = [{ term: { 'otklik.clocks.kind': 'first_response' } }, { term: { 'otklik.clocks.scope': 'body' } }, ...bodyFilter];
  const period = q.from || q.to ? [{ range: { 'otklik.clocks.stopped_at': { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } }] : [];
  return {
    index: n.incidentsAlias,
    size: 0,
    aggs: {
      clocks: {
        nested: { path: 'otklik.clocks' },
        aggs: {
          ended: {
            filter: { bool: { filter: [...base, { terms: { 'otklik.clocks.outcome': ['met', 'late'] } }, ...period] } },
            aggs: {
              bodies: {
                terms: { field: 'otklik.clocks.body_id', size: 1000 },
                aggs: {
                  met: { filter: { term: { 'otklik.clocks.outcome': 'met' } } },
                  working: { percentiles: { field: 'otklik.clocks.working_minutes', percents: [50, 90] } },
                  wall: { percentiles: { field: 'otklik.clocks.wall_minutes', percents: [50, 90] } },
                  // Back to the incidents these clocks belong to (each once): their quality counts.
                  // reverse_nested with no path joins back to the root document (Elasticsearch
                  // reference, "Reverse nested aggregation"); its doc_count counts root documents.
                  incidents: {
                    reverse_nested: {},
                    aggs: {
                      answers: { sum: { field: 'otklik.quality.answers' } },
                      formal: { sum: { field: 'otklik.quality.formal' } },
                      satisfied: { filter: { term: { 'otklik.quality.verdict': 'satisfied' } } },
                      unsatisfied: { filter: { term: { 'otklik.quality.verdict': 'unsatisfied' } } },
                      reopened: { filter: { range: { 'otklik.quality.reopenings': { gte: 1 } } } },
                      returned: { sum: { field: 'otklik.quality.returned' } },
                    },
                  },
                },
              },
            },
          },
          overdue: {
            filter: { bool: { filter: [...base, { range: { 'otklik.clocks.due_at': { lt: now.toISOString() } } }], must_not: [{ exists: { field: 'otklik.clocks.stopped_at' } }] } },
            aggs: { bodies: { terms: { field: 'otklik.clocks.body_id', size: 1000 } } },
          },
        },
      },
    },
  };
}

/** Kept spikes in an hour range, of a kind, newest first. */
export function spikesRequest(n: EsNames, q: SpikeQuery): estypes.SearchRequest {
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (q.from || q.to) filter.push({ range: { '@timestamp': { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } });
  if (q.kind) filter.push({ term: { 'otklik.spike.kind': q.kind } });
  return {
    index: n.spikesAlias,
    size: Math.min(q.size, MAX_SPIKES_READ),
    query: { bool: { filter } },
    sort: [{ '@timestamp': { order: 'desc' } }, { 'otklik.spike.key': { order: 'asc' } }],
    _source: ['otklik.doc'],
  };
}
