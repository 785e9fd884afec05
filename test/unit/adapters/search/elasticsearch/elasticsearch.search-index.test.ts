import { beforeEach, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type { MockPattern } from '@elastic/elasticsearch-mock';
import { errors } from '@elastic/elasticsearch';
import { ElasticsearchSearchIndex, type ElasticsearchOptions } from '../../../../../src/adapters/search/elasticsearch/elasticsearch.search-index.js';
import { parseQuery, searchQuerySchema, slaQuerySchema, trendQuerySchema } from '../../../../../src/core/search/query.js';
import { doc, incident } from '../../../../helpers/search-conformance.js';

// The mock is CommonJS whose typings declare a default export: load it the CommonJS way.
interface EsMock {
  add(pattern: MockPattern, resolver: (p: MockPattern) => unknown): EsMock;
  clearAll(): EsMock;
  getConnection(): NonNullable<ElasticsearchOptions['Connection']>;
}
const Mock = createRequire(import.meta.url)('@elastic/elasticsearch-mock') as new () => EsMock;
let mock: EsMock;
let seen: MockPattern[];
let es: ElasticsearchSearchIndex;

beforeEach(() => {
  mock = new Mock();
  seen = [];
  es = new ElasticsearchSearchIndex({ nodes: ['http://es.test:9200'], requestTimeoutMs: 1000, replicas: 0, retentionDays: 365, Connection: mock.getConnection() });
  // The adapter bootstraps before its first write; an existing setup answers quietly here.
  mock.add({ method: 'PUT', path: ['/_ilm/policy/:name', '/_component_template/:name', '/_index_template/:name'] }, () => ({ acknowledged: true }));
  mock.add({ method: 'HEAD', path: '/_alias/:name' }, () => '');
  mock.add({ method: 'PUT', path: '/:index/_mapping' }, () => ({ acknowledged: true }));
});

const record = (reply: unknown) => (p: MockPattern) => {
  seen.push(p);
  return reply as Record<string, unknown>;
};

describe('Elasticsearch adapter: bootstrap', () => {
  it('puts the ILM policy, component and index templates, and creates the first posts index behind its alias', async () => {
    mock.clearAll();
    mock.add({ method: 'PUT', path: '/_ilm/policy/social-posts-policy' }, record({ acknowledged: true }));
    mock.add({ method: 'PUT', path: '/_component_template/:name' }, record({ acknowledged: true }));
    mock.add({ method: 'PUT', path: '/_index_template/:name' }, record({ acknowledged: true }));
    mock.add({ method: 'HEAD', path: '/_alias/social-posts' }, () => new errors.ResponseError({ body: {}, statusCode: 404, headers: {}, warnings: null, meta: {} as never }));
    mock.add({ method: 'HEAD', path: '/_alias/incidents' }, record(''));
    mock.add({ method: 'PUT', path: '/social-posts-000001' }, record({ acknowledged: true, index: 'social-posts-000001' }));
    mock.add({ method: 'PUT', path: '/incidents/_mapping' }, record({ acknowledged: true }));
    mock.add({ method: 'HEAD', path: '/_alias/spikes' }, () => new errors.ResponseError({ body: {}, statusCode: 404, headers: {}, warnings: null, meta: {} as never }));
    mock.add({ method: 'PUT', path: '/spikes-v1' }, record({ acknowledged: true, index: 'spikes-v1' }));
    await es.bootstrap();
    const paths = seen.map((s) => `${String(s.method)} ${String(s.path)}`);
    expect(paths).toEqual([
      'PUT /_ilm/policy/social-posts-policy',
      'PUT /_component_template/otklik-settings',
      'PUT /_component_template/social-posts-mappings',
      'PUT /_component_template/incidents-mappings',
      'PUT /_component_template/incident-events-mappings',
      'PUT /_component_template/spikes-mappings',
      'PUT /_index_template/social-posts',
      'PUT /_index_template/incidents',
      'PUT /_index_template/incident-events',
      'PUT /_index_template/spikes',
      'PUT /social-posts-000001',
      'HEAD /_alias/incidents',
      // The incidents index exists (made from an earlier template): the fields added since.
      'PUT /incidents/_mapping',
      'PUT /spikes-v1',
    ]);
    expect(seen.find((s) => s.path === '/spikes-v1')?.body).toEqual({ aliases: { spikes: { is_write_index: true } } });
    expect(seen.find((s) => s.path === '/incidents/_mapping')?.body).toEqual({
      properties: { otklik: { properties: { quality: { properties: { answers: { type: 'integer' }, formal: { type: 'integer' }, verdict: { type: 'keyword', ignore_above: 256 }, reopenings: { type: 'integer' }, returned: { type: 'integer' } } } } } },
    });
    expect(seen.find((s) => s.path === '/social-posts-000001')?.body).toEqual({ aliases: { 'social-posts': { is_write_index: true } } });
    // Each mappings component carries the analysis it uses: Elasticsearch validates it alone.
    for (const name of ['social-posts-mappings', 'incidents-mappings', 'incident-events-mappings', 'spikes-mappings']) {
      const sent = seen.find((s) => s.path === `/_component_template/${name}`)?.body as { template: { settings: { analysis: { char_filter: unknown; analyzer: object } } } };
      expect(sent.template.settings.analysis.char_filter).toEqual({ yo_fold: { type: 'mapping', mappings: ['ё=>е', 'Ё=>Е'] } });
      expect(Object.keys(sent.template.settings.analysis.analyzer)).toEqual(['ru_text', 'ru_exact']);
    }
  });

  it('several processes bootstrapping at once: a first index another one just created is no error', async () => {
    mock.clearAll();
    mock.add({ method: 'PUT', path: ['/_ilm/policy/:name', '/_component_template/:name', '/_index_template/:name'] }, () => ({ acknowledged: true }));
    mock.add({ method: 'HEAD', path: '/_alias/:name' }, () => new errors.ResponseError({ body: {}, statusCode: 404, headers: {}, warnings: null, meta: {} as never }));
    const exists = (index: string) => () =>
      new errors.ResponseError({ body: { error: { type: 'resource_already_exists_exception', reason: `index [${index}/abc] already exists` }, status: 400 }, statusCode: 400, headers: {}, warnings: null, meta: {} as never });
    mock.add({ method: 'PUT', path: '/social-posts-000001' }, exists('social-posts-000001'));
    mock.add({ method: 'PUT', path: '/incidents-v1' }, exists('incidents-v1'));
    mock.add({ method: 'PUT', path: '/spikes-v1' }, exists('spikes-v1'));
    await expect(es.bootstrap()).resolves.toBeUndefined();
    // Any other refusal still stops it.
    mock.clearAll();
    mock.add({ method: 'PUT', path: ['/_ilm/policy/:name', '/_component_template/:name', '/_index_template/:name'] }, () => ({ acknowledged: true }));
    mock.add({ method: 'HEAD', path: '/_alias/:name' }, () => new errors.ResponseError({ body: {}, statusCode: 404, headers: {}, warnings: null, meta: {} as never }));
    mock.add({ method: 'PUT', path: '/social-posts-000001' }, () => new errors.ResponseError({ body: { error: { type: 'illegal_argument_exception', reason: 'bad' }, status: 400 }, statusCode: 400, headers: {}, warnings: null, meta: {} as never }));
    await expect(es.bootstrap()).rejects.toMatchObject({ code: 'SEARCH_INDEX_FAILED' });
  });
});

describe('Elasticsearch adapter: edits after a rollover', () => {
  it('an edited revision written to the new write index removes only older copies of it from the other indices', async () => {
    const edited = doc({ id: 'vk:-1_1', text: 'Яма, исправлено', at: '2026-11-16T08:00:00Z' });
    edited.post.editedAt = '2026-11-20T08:00:00.000Z';
    edited.post.capturedAt = '2026-11-20T08:00:05.000Z';
    const fresh = doc({ id: 'vk:-1_2', text: 'Снег', at: '2026-11-20T09:00:00Z' });
    mock.add({ method: 'POST', path: '/_bulk' }, record({ took: 3, errors: false, items: [{ index: { _index: 'social-posts-000002', _id: 'vk:-1_1', status: 201 } }, { index: { _index: 'social-posts-000002', _id: 'vk:-1_2', status: 201 } }] }));
    mock.add({ method: 'POST', path: '/social-posts/_delete_by_query' }, record({ took: 2, deleted: 1, failures: [] }));
    expect(await es.indexPosts([edited, fresh])).toEqual({ rejected: [] });
    const del = seen.find((p) => p.path === '/social-posts/_delete_by_query');
    expect(del?.querystring).toMatchObject({ conflicts: 'proceed', refresh: 'false' });
    expect(del?.body).toEqual({
      query: {
        bool: {
          should: [{ bool: { filter: [{ ids: { values: ['vk:-1_1'] } }, { range: { 'event.created': { lt: '2026-11-20T08:00:05.000Z' } } }] } }],
          minimum_should_match: 1,
          must_not: [{ term: { _index: 'social-posts-000002' } }],
        },
      },
    });
  });

  it('a batch without edits costs no extra request', async () => {
    mock.add({ method: 'POST', path: '/_bulk' }, record({ took: 3, errors: false, items: [{ index: { _index: 'social-posts-000001', _id: 'x', status: 201 } }] }));
    await es.indexPosts([doc({ id: 'vk:-1_9', text: 'Яма', at: '2026-11-16T08:00:00Z' })]);
    expect(seen.map((p) => p.path)).toEqual(['/_bulk']);
  });
});

describe('Elasticsearch adapter: place names', () => {
  it('territories are filtered on their case-insensitive .lc and aggregated as written', async () => {
    mock.add({ method: 'POST', path: '/social-posts/_search' }, record({ hits: { total: { value: 0, relation: 'eq' }, hits: [] }, aggregations: { top: { buckets: [{ key: 'Энск', doc_count: 5 }] } } }));
    const { termsQuerySchema } = await import('../../../../../src/core/search/query.js');
    expect(await es.terms(parseQuery(termsQuerySchema, { field: 'territory', territory: 'энск' }))).toEqual([{ key: 'Энск', count: 5 }]);
    const body = seen[0]?.body as { query: { bool: { filter: unknown[] } }; aggs: { top: { terms: { field: string } } } };
    expect(body.aggs.top.terms.field).toBe('otklik.territory');
    expect(body.query.bool.filter).toContainEqual({ terms: { 'otklik.territory.lc': ['энск'] } });
  });
});

describe('Elasticsearch adapter: bulk writes', () => {
  const posts = [doc({ id: 'vk:-1_1', text: 'Яма', at: '2026-11-16T08:00:00Z' }), doc({ id: 'vk:-1_2', text: 'Снег', at: '2026-11-16T09:00:00Z' }), doc({ id: 'vk:-1_3', text: 'Мусор', at: '2026-11-16T10:00:00Z' })];
  const item = (status: number, type?: string) => ({ index: { _index: 'social-posts-000001', _id: 'x', status, ...(type ? { error: { type, reason: `${type} reason` } } : {}) } });

  it('indexes through the alias with the capture time as external version', async () => {
    mock.add({ method: 'POST', path: '/_bulk' }, record({ took: 3, errors: false, items: [item(201), item(201), item(201)] }));
    expect(await es.indexPosts(posts)).toEqual({ rejected: [] });
    const body = seen[0]?.body as Record<string, unknown>[];
    expect(body).toHaveLength(6);
    expect(body[0]).toEqual({ index: { _index: 'social-posts', _id: 'vk:-1_1', version: Date.parse('2026-11-16T08:00:00Z'), version_type: 'external_gte' } });
    expect(body[1]).toMatchObject({ '@timestamp': '2026-11-16T08:00:00Z', message: 'Яма', otklik: { platform: 'vk', post: { id: 'vk:-1_1', revision: 'r1' }, topic: 'other' } });
  });

  it('a duplicate or stale version is fine; a mapping error is refused for the dead-letter queue', async () => {
    mock.add({ method: 'POST', path: '/_bulk' }, record({ took: 3, errors: true, items: [item(201), item(409, 'version_conflict_engine_exception'), item(400, 'document_parsing_exception')] }));
    expect(await es.indexPosts(posts)).toEqual({ rejected: [{ postId: 'vk:-1_3', reason: 'document_parsing_exception: document_parsing_exception reason' }] });
  });

  it('429 or 5xx items make the batch retryable', async () => {
    mock.add({ method: 'POST', path: '/_bulk' }, record({ took: 3, errors: true, items: [item(201), item(429, 'es_rejected_execution_exception'), item(201)] }));
    await expect(es.indexPosts(posts)).rejects.toMatchObject({ code: 'SEARCH_INDEX_FAILED', retryable: true });
  });

  it('a whole-request 429 or an unreachable cluster is a retryable 503', async () => {
    mock.add({ method: 'POST', path: '/_bulk' }, () => new errors.ResponseError({ body: { error: { type: 'es_rejected_execution_exception' } }, statusCode: 429, headers: {}, warnings: null, meta: {} as never }));
    await expect(es.indexPosts(posts)).rejects.toMatchObject({ code: 'SEARCH_UNAVAILABLE', retryable: true });
    mock.clearAll();
    mock.add({ method: 'POST', path: '/_bulk' }, () => new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200'));
    mock.add({ method: 'GET', path: '/_cluster/health' }, () => new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200'));
    await expect(es.indexPosts(posts)).rejects.toMatchObject({ code: 'SEARCH_UNAVAILABLE', retryable: true });
    expect(await es.status()).toMatchObject({ ok: false, message: expect.stringMatching(/^Elasticsearch unreachable: ConnectionError/) });
  });

  it('incidents carry their version as an external version; events are created once in the data stream', async () => {
    mock.add({ method: 'POST', path: '/_bulk' }, record({ took: 1, errors: true, items: [{ index: { _id: 'inc_a', status: 409, error: { type: 'version_conflict_engine_exception' } } }, { create: { _id: 'inc_a:3', status: 201 } }] }));
    const inc = incident('inc_a', 3, 'routed', 'city-roads', []);
    await es.indexIncidents([{ incident: inc, events: [{ incidentId: 'inc_a', version: 3, at: '2026-11-16T08:00:00.000Z', actor: { id: 'mod', role: 'moderator' }, action: 'accept', from: 'alert', to: 'routed', details: {} }] }]);
    const body = seen[0]?.body as Record<string, unknown>[];
    expect(body[0]).toEqual({ index: { _index: 'incidents', _id: 'inc_a', version: 3, version_type: 'external' } });
    expect(body[2]).toEqual({ create: { _index: 'incident-events', _id: 'inc_a:3' } });
    expect(body[3]).toMatchObject({ event: { action: 'accept' }, user: { id: 'mod' }, otklik: { from_status: 'alert', to_status: 'routed' } });
  });
});

describe('Elasticsearch adapter: queries', () => {
  it('compiles the text query and filters to DSL and parses hits', async () => {
    mock.add({ method: ['POST', 'GET'], path: '/social-posts/_search' }, record({
      took: 2, timed_out: false, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: { total: { value: 1, relation: 'eq' }, max_score: null, hits: [{ _index: 'social-posts-000001', _id: 'vk:-1_1', _score: null, _source: { '@timestamp': '2026-11-16T08:00:00Z', event: { created: 'x', ingested: 'x' }, message: 'Яма', url: { original: 'https://vk.com/wall-1_1' }, otklik: { platform: 'vk', source: 'city', territory: 'Энск', post: { id: 'vk:-1_1', revision: 'r1', kind: 'post' }, owner: { id: '-1' }, topic: 'roads', topics: ['roads'], sentiment: 'negative', sentiment_score: -1, type: 'complaint', alert: true, spam: false, priority: 'normal', incident_id: 'inc_a', metrics: {}, explain: { lines: [] } } } }] },
      aggregations: { posts: { value: 1 } },
    }));
    const r = await es.search(parseQuery(searchQuerySchema, { q: 'ямы "горячей воды" -асфальт', topic: 'roads', from: '2026-11-01T00:00:00Z', size: '5', page: '2' }));
    expect(r).toEqual({ total: 1, page: 2, size: 5, items: [{ id: 'vk:-1_1', revision: 'r1', platform: 'vk', source: 'city', text: 'Яма', createdAt: '2026-11-16T08:00:00.000Z', permalink: 'https://vk.com/wall-1_1', territory: 'Энск', topic: 'roads', sentiment: 'negative', type: 'complaint', alert: true, incidentId: 'inc_a' }] });
    const body = seen[0]?.body as Record<string, unknown>;
    expect(body.query).toEqual({
      bool: {
        must: [{ bool: { must: [{ match: { message: { query: 'ямы' } } }, { match_phrase: { 'message.exact': { query: 'горячей воды' } } }], must_not: [{ match: { message: { query: 'асфальт' } } }] } }],
        filter: [{ terms: { 'otklik.topic': ['roads'] } }, { range: { '@timestamp': { gte: '2026-11-01T00:00:00Z' } } }],
      },
    });
    expect(body).toMatchObject({ from: 5, size: 5, collapse: { field: 'otklik.post.id' }, sort: [{ '@timestamp': 'desc' }, { 'otklik.post.id': 'asc' }] });
  });

  it('resolves incident filters to incident ids first', async () => {
    mock.add({ method: ['POST', 'GET'], path: '/incidents/_search' }, record({ took: 1, hits: { total: { value: 2, relation: 'eq' }, hits: [{ _index: 'incidents-v1', _id: 'inc_a' }, { _index: 'incidents-v1', _id: 'inc_b' }] } }));
    mock.add({ method: ['POST', 'GET'], path: '/social-posts/_search' }, record({ took: 1, hits: { total: { value: 0, relation: 'eq' }, hits: [] }, aggregations: { posts: { value: 0 } } }));
    await es.search(parseQuery(searchQuerySchema, { body: 'city-roads', status: 'routed' }));
    expect((seen[0]?.body as { query: unknown }).query).toEqual({ bool: { filter: [{ terms: { 'otklik.incident.body_id': ['city-roads'] } }, { terms: { 'otklik.incident.status': ['routed'] } }] } });
    expect((seen[1]?.body as { query: { bool: { filter: unknown[] } } }).query.bool.filter).toEqual([{ terms: { 'otklik.incident_id': ['inc_a', 'inc_b'] } }]);
  });

  it("filters an incident's posts and a post's thread by keyword fields, without an incident lookup", async () => {
    mock.add({ method: ['POST', 'GET'], path: '/social-posts/_search' }, record({ took: 1, hits: { total: { value: 0, relation: 'eq' }, hits: [] }, aggregations: { posts: { value: 0 } } }));
    await es.search(parseQuery(searchQuerySchema, { incident: 'inc_a', parent: 'vk:-1_1,vk:-1_2' }));
    expect(seen).toHaveLength(1);
    expect((seen[0]?.body as { query: { bool: { filter: unknown[] } } }).query.bool.filter).toEqual([
      { terms: { 'otklik.incident_id': ['inc_a'] } },
      { terms: { 'otklik.post.parent_id': ['vk:-1_1', 'vk:-1_2'] } },
    ]);
  });

  it("a caller's territory scope is one should clause: missing territory, the exact names, or a prefix (keyword field, as stored)", async () => {
    mock.add({ method: ['POST', 'GET'], path: '/social-posts/_search' }, record({ took: 1, hits: { total: { value: 0, relation: 'eq' }, hits: [] }, aggregations: { posts: { value: 0 } } }));
    await es.search({ ...parseQuery(searchQuerySchema, {}), scope: { exact: ['Сосновка'], prefixes: ['Сосновка, '] } });
    // Query DSL as Elasticsearch documents it: bool.should with minimum_should_match, exists, terms, prefix.
    expect((seen[0]?.body as { query: { bool: { filter: unknown[] } } }).query.bool.filter).toEqual([
      {
        bool: {
          should: [{ bool: { must_not: [{ exists: { field: 'otklik.territory' } }] } }, { terms: { 'otklik.territory': ['Сосновка'] } }, { prefix: { 'otklik.territory': { value: 'Сосновка, ' } } }],
          minimum_should_match: 1,
        },
      },
    ]);
  });

  it('parses date histogram buckets split by a field', async () => {
    mock.add({ method: ['POST', 'GET'], path: '/social-posts/_search' }, record({
      took: 1, hits: { total: { value: 3, relation: 'eq' }, hits: [] },
      aggregations: { over_time: { buckets: [{ key_as_string: '2026-11-16T00:00:00.000Z', key: Date.parse('2026-11-16T00:00:00Z'), doc_count: 3, by: { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [{ key: 'roads', doc_count: 2 }, { key: 'housing', doc_count: 1 }] } }] } },
    }));
    expect(await es.trends(parseQuery(trendQuerySchema, { interval: 'day', by: 'topic' }))).toEqual([{ key: '2026-11-16T00:00:00Z', total: 3, by: { roads: 2, housing: 1 } }]);
    expect((seen[0]?.body as { aggs: unknown }).aggs).toEqual({
      over_time: { date_histogram: { field: '@timestamp', calendar_interval: 'day', time_zone: 'UTC', min_doc_count: 1 }, aggs: { by: { terms: { field: 'otklik.topic', size: 100 } } } },
    });
  });

  it('parses SLA aggregations over nested clocks', async () => {
    mock.add({ method: ['POST', 'GET'], path: '/incidents/_search' }, record({
      took: 1, hits: { total: { value: 3, relation: 'eq' }, hits: [] },
      aggregations: { clocks: { doc_count: 3, ended: { doc_count: 2, bodies: { buckets: [{ key: 'city-roads', doc_count: 2, met: { doc_count: 1 }, working: { values: { '50.0': 540, '90.0': 876 } }, wall: { values: { '50.0': 1500, '90.0': 2604 } },
        // reverse_nested: the bucket's incidents (each once), with their quality counts summed.
        incidents: { doc_count: 2, answers: { value: 3 }, formal: { value: 1 }, satisfied: { doc_count: 0 }, unsatisfied: { doc_count: 1 }, reopened: { doc_count: 1 }, returned: { value: 0 } } }] } }, overdue: { doc_count: 1, bodies: { buckets: [{ key: 'city-housing', doc_count: 1 }] } } } },
    }));
    const rows = await es.sla(parseQuery(slaQuerySchema, { from: '2026-11-01T00:00:00Z' }), new Date('2026-11-20T00:00:00Z'));
    expect(rows).toEqual([
      { bodyId: 'city-housing', measured: 0, met: 0, late: 0, overdueNow: 1, compliance: null, medianWorkingMinutes: null, p90WorkingMinutes: null, medianWallMinutes: null, p90WallMinutes: null,
        quality: { incidents: 0, answers: 0, formal: 0, formalShare: null, satisfied: 0, unsatisfied: 0, satisfaction: null, reopened: 0, reopenedShare: null, returned: 0 } },
      { bodyId: 'city-roads', measured: 2, met: 1, late: 1, overdueNow: 0, compliance: 0.5, medianWorkingMinutes: 540, p90WorkingMinutes: 876, medianWallMinutes: 1500, p90WallMinutes: 2604,
        quality: { incidents: 2, answers: 3, formal: 1, formalShare: 0.333, satisfied: 0, unsatisfied: 1, satisfaction: 0, reopened: 1, reopenedShare: 0.5, returned: 0 } },
    ]);
    // The request goes back from the clocks to their incidents for the quality counts.
    const sent = seen.find((p) => p.path === '/incidents/_search')?.body as { aggs: { clocks: { aggs: { ended: { aggs: { bodies: { aggs: Record<string, unknown> } } } } } } };
    expect(sent.aggs.clocks.aggs.ended.aggs.bodies.aggs.incidents).toMatchObject({ reverse_nested: {}, aggs: { formal: { sum: { field: 'otklik.quality.formal' } }, unsatisfied: { filter: { term: { 'otklik.quality.verdict': 'unsatisfied' } } } } });
  });
});

describe('Elasticsearch adapter: spikes', () => {
  const spike = {
    key: 'posts|housing|Энск|2026-11-20T15:00:00.000Z', kind: 'posts' as const, topic: 'housing', territory: 'Энск', hour: '2026-11-20T15:00:00.000Z', count: 12, expected: 0.4,
    range: [0, 2] as [number, number], pValue: 1e-9, rising: ['запах', 'газа'], top: [{ id: 'vk:-1_1', text: 'Пахнет газом в подъезде' }], detectedAt: '2026-11-20T16:05:00.000Z',
  };

  it('keeps a spike under its key (found again, it is the same document), its fields flat for Kibana and the record whole', async () => {
    mock.add({ method: 'POST', path: '/_bulk' }, record({ took: 1, errors: false, items: [{ index: { _index: 'spikes-v1', _id: spike.key, status: 201, result: 'created' } }] }));
    await es.indexSpikes([spike]);
    const bulk = seen.find((p) => p.path === '/_bulk')?.body as unknown[];
    expect(bulk[0]).toEqual({ index: { _index: 'spikes', _id: spike.key } });
    expect(bulk[1]).toEqual({
      '@timestamp': '2026-11-20T15:00:00.000Z',
      event: { created: '2026-11-20T16:05:00.000Z' },
      message: 'Пахнет газом в подъезде',
      otklik: {
        spike: { key: spike.key, kind: 'posts', topic: 'housing', territory: 'Энск', count: 12, expected: 0.4, range_low: 0, range_high: 2, p_value: 1e-9, rising: ['запах', 'газа'], top_post_ids: ['vk:-1_1'] },
        doc: { spike },
      },
    });
  });

  it('reads them back newest first, by hour and kind', async () => {
    mock.add({ method: ['POST', 'GET'], path: '/spikes/_search' }, record({ took: 1, hits: { total: { value: 1, relation: 'eq' }, hits: [{ _index: 'spikes-v1', _id: spike.key, _source: { otklik: { doc: { spike } } } }] } }));
    expect(await es.spikes({ from: '2026-11-01T00:00:00.000Z', kind: 'posts', size: 50 })).toEqual([spike]);
    expect(seen.find((p) => p.path === '/spikes/_search')?.body).toEqual({
      size: 50,
      query: { bool: { filter: [{ range: { '@timestamp': { gte: '2026-11-01T00:00:00.000Z' } } }, { term: { 'otklik.spike.kind': 'posts' } }] } },
      sort: [{ '@timestamp': { order: 'desc' } }, { 'otklik.spike.key': { order: 'asc' } }],
      _source: ['otklik.doc'],
    });
  });
});

describe('Elasticsearch adapter: zero-downtime reindex of incidents', () => {
  it('creates the new index, copies, swaps the alias atomically, copies what landed meanwhile, then deletes the old index', async () => {
    mock.add({ method: 'GET', path: '/_alias/incidents' }, record({ 'incidents-v1': { aliases: { incidents: { is_write_index: true } } } }));
    mock.add({ method: 'HEAD', path: '/incidents-v2' }, record(new errors.ResponseError({ body: {}, statusCode: 404, headers: {}, warnings: null, meta: {} as never })));
    mock.add({ method: 'PUT', path: '/incidents-v2' }, record({ acknowledged: true, index: 'incidents-v2' }));
    let copies = 0;
    mock.add({ method: 'POST', path: '/_reindex' }, (p) => {
      seen.push(p);
      // The second pass brings over the 3 incidents written to v1 between the first copy and the swap.
      return { took: 10, created: copies++ === 0 ? 42 : 0, updated: copies === 1 ? 0 : 3, version_conflicts: 0, failures: [] };
    });
    mock.add({ method: 'POST', path: '/_aliases' }, record({ acknowledged: true }));
    mock.add({ method: 'DELETE', path: '/incidents-v1' }, record({ acknowledged: true }));
    expect(await es.reindexIncidents(2)).toEqual({ from: 'incidents-v1', to: 'incidents-v2', copied: 45, removed: 'incidents-v1' });
    // The second copy comes after the swap (writes go to v2 from then on); the old index goes last,
    // so Kibana's incidents* data view counts each incident once.
    expect(seen.map((s) => `${String(s.method)} ${String(s.path)}`)).toEqual(['GET /_alias/incidents', 'HEAD /incidents-v2', 'PUT /incidents-v2', 'POST /_reindex', 'POST /_aliases', 'POST /_reindex', 'DELETE /incidents-v1']);
    expect(seen[3]?.body).toEqual({ source: { index: 'incidents-v1' }, dest: { index: 'incidents-v2', version_type: 'external' }, conflicts: 'proceed' });
    expect(seen[4]?.body).toEqual({ actions: [{ remove: { index: 'incidents-v1', alias: 'incidents' } }, { add: { index: 'incidents-v2', alias: 'incidents', is_write_index: true } }] });
  });
});

describe('Elasticsearch adapter: retention', () => {
  it('one update-by-query over the capture window removes the author and the raw payload; conflicts do not fail it', async () => {
    mock.add({ method: 'POST', path: '/social-posts/_update_by_query' }, record({ took: 5, total: 42, updated: 40, version_conflicts: 2, failures: [] }));
    const n = await es.purgePersonalData({ from: new Date('2026-10-01T00:00:00Z'), before: new Date('2026-10-02T00:00:00Z') });
    expect(n).toBe(42);
    const req = seen.find((p) => p.path === '/social-posts/_update_by_query');
    expect(req?.querystring).toMatchObject({ wait_for_completion: 'true', refresh: 'false' });
    // The client sends `conflicts` in the body, which update-by-query accepts there too.
    expect(req?.body).toEqual({
      conflicts: 'proceed',
      query: { range: { 'event.created': { gte: '2026-10-01T00:00:00.000Z', lt: '2026-10-02T00:00:00.000Z' } } },
      script: { lang: 'painless', source: "ctx._source.remove('user'); if (ctx._source.otklik != null) { ctx._source.otklik.remove('raw'); }" },
    });
  });

  it('an unreachable cluster is a retryable error: the sweep takes the same window next time', async () => {
    mock.add({ method: 'POST', path: '/social-posts/_update_by_query' }, () => new errors.ConnectionError('connect ECONNREFUSED'));
    await expect(es.purgePersonalData({ before: new Date('2026-10-02T00:00:00Z') })).rejects.toMatchObject({ code: 'SEARCH_UNAVAILABLE', retryable: true });
  });
});
