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
    const engine = await startEngine({ config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines) }), log: silentLog });
    try {
      await waitForCounts(t.redis, prefix, (c) => c.completed >= 290);
      const res = await engine.app!.inject({ method: 'GET', url: '/health' });
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

  it('answers 503 with the reason when Redis is gone, instead of hanging or failing with 500', async () => {
    const other = await startTestRedis();
    const engine = await startEngine({ config: testConfig({ ENGINE_ROLE: 'api', REDIS_URL: other.url, QUEUE_PREFIX: freshPrefix() }), log: silentLog });
    try {
      await other.kill();
      const res = await engine.app!.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json<HealthReport>()).toMatchObject({ status: 'degraded', redis: { ok: false } });
    } finally {
      await Promise.race([engine.stop(), new Promise((r) => setTimeout(r, 3000))]);
      await other.cleanup();
    }
  });
});
