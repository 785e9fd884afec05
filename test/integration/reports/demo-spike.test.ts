import { describe, expect, it } from 'vitest';
import { startEngine } from '../../../src/roles/engine.js';
import type { Spike } from '../../../src/reports/spike-watch.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';
import { demoLines, expectedOutcome, writeCorpus } from '../../helpers/corpus.js';
import { as, signIn } from '../../helpers/api.js';

const t = useTestRedis();

describe('spike alerts on the demo', () => {
  it("the demo corpus's surge of gas complaints in Заречный район is found by a look back, kept for the console and queued for the moderators", async () => {
    const prefix = freshPrefix();
    const lines = demoLines();
    const expected = expectedOutcome(lines);
    const engine = await startEngine({
      config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines), DEMO_USERS: 'on', SPIKE_CHECK_MINUTES: '0' }),
      log: silentLog,
    });
    try {
      await waitForCounts(t.redis, prefix, (c) => c.completed + c.deadLetters >= expected.valid + expected.invalid, 120_000);
      const app = engine.app!;
      const analyst = as(app, { cookie: await signIn(app, 'analyst') });
      // The demo was written in November: the watch looks back over its week.
      const res = await analyst.post('/spikes/scan', { from: '2026-11-16T00:00:00Z', to: '2026-11-23T00:00:00Z' });
      expect(res.statusCode, res.body).toBe(200);
      const found = res.json<{ items: Spike[] }>().items;
      const gas = found.filter((s) => s.territory === 'г. Энск, Заречный район' && s.topic.startsWith('housing') && s.hour === '2026-11-20T15:00:00.000Z');
      expect(gas.map((s) => s.kind).sort()).toEqual(['alerts', 'posts']);
      expect(gas[0]?.count).toBeGreaterThanOrEqual(10);
      expect(gas[0]?.rising.join(' ')).toMatch(/газ/);
      // Little else in the demo's week is that far from its usual: measured, the surge (as posts and as
      // alerts) and two city-wide hours of five posts (snow, waste) three days into the archive.
      process.stdout.write(`demo look back: ${found.length} spikes: ${found.map((s) => `${s.kind} ${s.topic} ${s.territory} ${s.hour} ${s.count}`).join('; ')}\n`);
      expect(found.length).toBeLessThanOrEqual(6);
      // Kept for the console like a live find, and queued for the moderators once.
      const listed = (await analyst.get('/spikes?territory=г. Энск')).json<{ items: Spike[] }>().items;
      expect(listed.map((s) => s.key)).toEqual(expect.arrayContaining(gas.map((s) => s.key)));
      const notices = (await engine.queues.notify.getJobs(['waiting', 'active', 'completed', 'delayed'])).filter((j) => j.name === 'spike');
      expect(notices.map((j) => (j.data as { spike: { key: string } }).spike.key)).toEqual(expect.arrayContaining(gas.map((s) => s.key)));
      // Looking back again finds nothing new and tells nobody twice.
      expect((await analyst.post('/spikes/scan', { from: '2026-11-16T00:00:00Z', to: '2026-11-23T00:00:00Z' })).json<{ items: Spike[] }>().items).toEqual([]);
      // A period too long, or backwards, is refused with a typed error.
      const long = await analyst.post('/spikes/scan', { from: '2026-09-01T00:00:00Z', to: '2026-11-23T00:00:00Z' });
      expect(long.statusCode).toBe(400);
      expect(long.json<{ error: { code: string } }>().error.code).toBe('VALIDATION_FAILED');
      expect((await analyst.post('/spikes/scan', { from: '2026-11-23T00:00:00Z', to: '2026-11-16T00:00:00Z' })).statusCode).toBe(400);
    } finally {
      await engine.stop();
    }
  }, 240_000);
});
