import { describe, expect, it } from 'vitest';
import { startEngine } from '../../../src/roles/engine.js';
import { useTestRedis, startTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';
import { writeCorpus, demoLines } from '../../helpers/corpus.js';
import type { HealthReport } from '../../../src/api/health.js';

const t = useTestRedis();

describe('GET /health', () => {
  it('reports Redis, queue depths, counters, the source and the search backend', async () => {
    const prefix = freshPrefix();
    const lines = demoLines().slice(0, 300);
    const engine = await startEngine({ config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines), API_KEYS: 'ops-key-0123456789abcdef' }), log: silentLog });
    try {
      await waitForCounts(t.redis, prefix, (c) => c.completed >= 290);
      // A probe learns up or down, nothing of the inside (hosts, pids, file paths, sources).
      const probe = await engine.app!.inject({ method: 'GET', url: '/health' });
      expect(probe.statusCode).toBe(200);
      expect(probe.json()).toEqual({ status: 'ok', redis: { ok: true } });
      const res = await engine.app!.inject({ method: 'GET', url: '/health', headers: { authorization: 'Bearer ops-key-0123456789abcdef' } });
      expect(res.statusCode).toBe(200);
      const body = res.json<HealthReport>();
      expect(body.redis).toMatchObject({ ok: true, mode: 'external' });
      expect(Object.keys(body.queues).sort()).toEqual(['analyze', 'deadletter', 'index', 'notify', 'poll', 'route', 'timers']);
      expect(body.queues.index?.completed).toBeGreaterThan(0);
      expect(body.stats.posts_completed).toBeGreaterThanOrEqual(290);
      expect(body.sources[0]).toMatchObject({ sourceId: 'demo', errors: {} });
      expect(body.sources[0]?.itemsSeen).toBeGreaterThan(0);
      expect(body.search).toMatchObject({ backend: 'embedded', configured: true, ok: true });
      expect(body.search.message).toMatch(/\d+ posts/);
    } finally {
      await engine.stop();
    }
  });

  it('/metrics: the pipeline\'s counters agree with its ledgers, with queue ages, latency quantiles and HTTP durations', async () => {
    const prefix = freshPrefix();
    const lines = demoLines().slice(0, 300);
    const engine = await startEngine({ config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines), API_KEYS: 'metrics-key-0123456789abcdef' }), log: silentLog });
    try {
      const done = await waitForCounts(t.redis, prefix, (c) => c.completed + c.deadLetters >= lines.length - 1);
      await engine.app!.inject({ method: 'GET', url: '/health' });
      const res = await engine.app!.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-key-0123456789abcdef', 'x-request-id': 'scrape-1' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-request-id']).toBe('scrape-1');
      const value = (line: RegExp) => [...res.body.matchAll(new RegExp(`^${line.source} (\\d+(?:\\.\\d+)?)$`, 'gm'))].reduce((a, m) => a + Number(m[1]), 0);
      expect(value(/otklik_posts_analyzed_total\{source="demo"\}/)).toBe(done.admitted);
      expect(value(/otklik_posts_indexed_total\{source="demo"\}/)).toBe(done.completed);
      expect(value(/otklik_posts_classified_total\{[^}]*\}/)).toBe(done.admitted);
      expect(value(/otklik_posts_classified_total\{[^}]*alert="true"[^}]*\}/)).toBe(done.alertPosts);
      expect(value(/otklik_alerts_opened_total\{[^}]*\}/) + value(/otklik_duplicates_attached_total\{[^}]*\}/)).toBe(done.alertPosts);
      expect(value(/otklik_dead_letters_total\{[^}]*\}/)).toBe(done.deadLetters);
      expect(res.body).toMatch(/^otklik_latency_seconds\{name="capture_to_routed",quantile="0.95"\} [\d.]+$/m);
      expect(res.body).toMatch(/^otklik_queue_oldest_waiting_seconds\{queue="analyze"\} \d+$/m);
      expect(res.body).toMatch(/^otklik_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} 1$/m);
      expect(res.body).toMatch(/^otklik_api_process_resident_memory_bytes \d+/m);
    } finally {
      await engine.stop();
    }
  });

  it('is limited per address: a flood of probes is refused before it reaches Redis', async () => {
    const engine = await startEngine({ config: testConfig({ ENGINE_ROLE: 'api', REDIS_URL: t.server.url, QUEUE_PREFIX: freshPrefix() }), log: silentLog });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 125; i++) codes.push((await engine.app!.inject({ method: 'GET', url: '/health' })).statusCode);
      expect(codes.slice(0, 120).every((c) => c === 200)).toBe(true);
      expect(codes.slice(120)).toEqual([429, 429, 429, 429, 429]);
    } finally {
      await engine.stop();
    }
  });

  it('answers 503 with the reason when Redis is gone, instead of hanging or failing with 500', async () => {
    const other = await startTestRedis();
    const engine = await startEngine({ config: testConfig({ ENGINE_ROLE: 'api', REDIS_URL: other.url, QUEUE_PREFIX: freshPrefix(), API_KEYS: 'ops-key-0123456789abcdef' }), log: silentLog });
    try {
      await other.kill();
      const res = await engine.app!.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json<HealthReport>()).toMatchObject({ status: 'degraded', redis: { ok: false } });
      const full = await engine.app!.inject({ method: 'GET', url: '/health', headers: { authorization: 'Bearer ops-key-0123456789abcdef' } });
      expect(full.statusCode).toBe(503);
      expect(full.json<HealthReport>()).toMatchObject({ status: 'degraded', redis: { ok: false, mode: 'external' } });
      // A route that reads Redis: told apart by the connection's state, not by the client's wording.
      const list = await engine.app!.inject({ method: 'GET', url: '/incidents', headers: { authorization: 'Bearer ops-key-0123456789abcdef' } });
      expect(list.statusCode, list.body).toBe(503);
      expect(list.json()).toMatchObject({ error: { code: 'REDIS_UNAVAILABLE' } });
    } finally {
      await Promise.race([engine.stop(), new Promise((r) => setTimeout(r, 3000))]);
      await other.cleanup();
    }
  });
});
