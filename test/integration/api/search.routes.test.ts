import { describe, expect, it } from 'vitest';
import { startEngine } from '../../../src/roles/engine.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';
import { demoLines, writeCorpus } from '../../helpers/corpus.js';
import type { SearchResult, TrendBucket, TermCount, SlaRow } from '../../../src/core/search/query.js';

const t = useTestRedis();
const KEY = 'test-api-key-0123456789abcdef';
const AUTH = { authorization: `Bearer ${KEY}` };

async function engineWith(extra: Record<string, string>, lines = demoLines().slice(0, 600)) {
  const prefix = freshPrefix();
  const engine = await startEngine({
    config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines), API_KEYS: KEY, ...extra }),
    log: silentLog,
  });
  await waitForCounts(t.redis, prefix, (c) => c.completed + c.deadLetters >= lines.length - 1);
  return engine;
}

describe('search API on the embedded index, after the demo corpus flows', () => {
  it('search, trends, terms and SLA return real results', async () => {
    const engine = await engineWith({});
    try {
      const app = engine.app!;
      const s = await app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('яма OR выбоины')}&topic=roads&size=5`, headers: AUTH });
      expect(s.statusCode).toBe(200);
      const found = s.json<SearchResult>();
      expect(found.total).toBeGreaterThan(5);
      expect(found.items).toHaveLength(5);
      for (const h of found.items) {
        expect(h.topic).toBe('roads');
        expect(h.text.toLowerCase()).toMatch(/ям|выбоин/);
      }
      const tr = await app.inject({ method: 'GET', url: '/trends?interval=day&by=topic', headers: AUTH });
      const buckets = tr.json<{ buckets: TrendBucket[] }>().buckets;
      expect(buckets.length).toBeGreaterThan(0);
      expect(buckets.reduce((n, b) => n + b.total, 0)).toBe(found.total + (await countOthers(app)));
      const terms = (await app.inject({ method: 'GET', url: '/aggregations/terms?field=platform', headers: AUTH })).json<{ terms: TermCount[] }>().terms;
      expect(terms.map((x) => x.key).sort()).toEqual(['ok', 'tg', 'vk']);
      const sla = await app.inject({ method: 'GET', url: '/aggregations/sla', headers: AUTH });
      expect(sla.statusCode).toBe(200);
      expect(sla.json<{ bodies: SlaRow[] }>().bodies).toEqual([]);
      const health = (await app.inject({ method: 'GET', url: '/health', headers: AUTH })).json<{ search: { backend: string; ok: boolean; message: string } }>();
      expect(health.search).toMatchObject({ backend: 'embedded', ok: true });
    } finally {
      await engine.stop();
    }
  });

  it('exports what a search finds as CSV, one row per hit', async () => {
    const engine = await engineWith({}, demoLines().slice(0, 300));
    try {
      const app = engine.app!;
      const q = `q=${encodeURIComponent('яма OR выбоины')}&topic=roads`;
      const total = (await app.inject({ method: 'GET', url: `/search?${q}&size=1`, headers: AUTH })).json<SearchResult>().total;
      const res = await app.inject({ method: 'GET', url: `/search/export.csv?${q}`, headers: AUTH });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const lines = res.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
      expect(total).toBeGreaterThan(0);
      expect(lines).toHaveLength(total + 1);
      // Labels and local dates for people opening it in a spreadsheet, not codes and UTC.
      expect(lines[0]).toMatch(/^"id","дата \(МСК\)","платформа"/);
      expect(lines.slice(1).every((l) => l.includes('"Дороги"') && !l.includes('"roads"'))).toBe(true);
      expect(lines.slice(1).every((l) => /^"[^"]+","\d\d\.\d\d\.\d{4} \d\d:\d\d","(ВКонтакте|Одноклассники|Telegram)"/.test(l))).toBe(true);
      expect(res.body).not.toMatch(/"(negative|neutral|positive|complaint)"/);
      expect((await app.inject({ method: 'GET', url: `/search/export.csv?${q}` })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/search/export.csv?colour=red', headers: AUTH })).statusCode).toBe(400);
    } finally {
      await engine.stop();
    }
  });

  it('bad queries are 400s with the reason, never 500s', async () => {
    const engine = await engineWith({}, demoLines().slice(0, 50));
    try {
      for (const url of ['/search?q=%22open', '/search?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', '/search?page=5000&size=100', '/search?colour=red', '/trends?by=mood', '/aggregations/terms', '/search?q=NOT%20x', '/search?size=-1']) {
        const r = await engine.app!.inject({ method: 'GET', url, headers: AUTH });
        expect(r.statusCode, url).toBe(400);
        expect(r.json<{ error: { code: string } }>().error.code).toBe('SEARCH_QUERY_INVALID');
      }
    } finally {
      await engine.stop();
    }
  });

  it('everything but /health needs an API key or a session', async () => {
    const engine = await engineWith({}, demoLines().slice(0, 20));
    try {
      const app = engine.app!;
      expect((await app.inject({ method: 'GET', url: '/search' })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/search', headers: { authorization: 'Bearer wrong-key-0123456789abcdef' } })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/search', headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/health', headers: AUTH })).statusCode).toBe(200);
    } finally {
      await engine.stop();
    }
  });

  it('search switched off: 503 with the reason', async () => {
    const engine = await engineWith({ SEARCH_BACKEND: 'none' }, demoLines().slice(0, 20));
    try {
      const r = await engine.app!.inject({ method: 'GET', url: '/search?q=яма', headers: AUTH });
      expect(r.statusCode).toBe(503);
      expect(r.json<{ error: { code: string } }>().error.code).toBe('SEARCH_UNAVAILABLE');
    } finally {
      await engine.stop();
    }
  });

});

async function countOthers(app: NonNullable<Awaited<ReturnType<typeof startEngine>>['app']>): Promise<number> {
  const all = (await app.inject({ method: 'GET', url: '/search?size=1', headers: AUTH })).json<SearchResult>().total;
  const roads = (await app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('яма OR выбоины')}&topic=roads&size=1`, headers: AUTH })).json<SearchResult>().total;
  return all - roads;
}
