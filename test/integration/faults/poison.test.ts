import { describe, expect, it } from 'vitest';
import { startEngine } from '../../../src/roles/engine.js';
import type { DeadLetter } from '../../../src/pipeline/dead-letter.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';
import { demoLines, expectedOutcome, writeCorpus } from '../../helpers/corpus.js';

const t = useTestRedis();

const post = (id: string, text: unknown) => ({
  id,
  revision: 'r1',
  platform: 'vk',
  kind: 'post',
  sourceId: 'demo',
  community: { id: '-1' },
  author: null,
  text,
  createdAt: '2026-11-20T10:00:00.000Z',
  engagement: {},
  capturedAt: '2026-11-20T10:00:01.000Z',
});

describe('poison messages in a running engine', () => {
  it('poisoned jobs injected mid-stream are dead-lettered with their reasons; everything else flows; the counts add up exactly', async () => {
    const lines = demoLines();
    const expected = expectedOutcome(lines);
    const prefix = freshPrefix();
    const engine = await startEngine({
      config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines), DEMO_RATE_PER_S: '3000', PIPELINE_ATTEMPTS: '3' }),
      log: silentLog,
    });
    try {
      await waitForCounts(t.redis, prefix, (c) => c.completed >= 200);
      // An analyze batch with one post a classifier cannot read (text is an object) next to a good one;
      // a route job whose payload is not a batch at all; an index job of the same shape.
      await engine.queues.byStage.analyze.add('analyze', { sourceId: 'demo', posts: [post('vk:-1_900001', { $gt: '' }), post('vk:-1_900002', 'Спасибо за новую остановку!')] }, { jobId: 'an.poison.1', attempts: 3, backoff: { type: 'fixed', delay: 20 } });
      await engine.queues.byStage.route.add('route', { items: 'garbage' }, { jobId: 'rt.poison.2', attempts: 3 });
      await engine.queues.byStage.index.add('index', { items: [{ nope: true }] }, { jobId: 'ix.poison.3', attempts: 3 });
      const done = await waitForCounts(t.redis, prefix, (c) => c.completed >= expected.valid + 1 && c.deadLetters >= expected.invalid + 3, 60_000);
      // Posts in (the corpus's valid ones and the good injected one) = completed; the rest are dead letters.
      expect(done).toEqual({ admitted: expected.valid + 2, completed: expected.valid + 1, alertPosts: expected.alerts, deadLetters: expected.invalid + 3 });
      const dead = (await engine.queues.deadLetter.getWaiting(0, 100)).map((j) => j.data as DeadLetter);
      const injected = dead.filter((d) => d.stage !== 'poll');
      expect(injected.map((d) => [d.stage, d.error.code]).sort()).toEqual([
        ['analyze', 'STAGE_FAILED'],
        ['index', 'JOB_PAYLOAD_INVALID'],
        ['route', 'JOB_PAYLOAD_INVALID'],
      ]);
      expect(injected.find((d) => d.stage === 'analyze')).toMatchObject({ ref: 'vk.-1_900001#r1', payload: { id: 'vk:-1_900001' } });
      expect(injected.find((d) => d.stage === 'route')?.error.message).toContain('items');
      // Nothing is stuck: every stage queue is empty, nothing failed outside the dead letters.
      for (const stage of ['analyze', 'route', 'index'] as const) {
        const c = await engine.queues.byStage[stage].getJobCounts('waiting', 'active', 'failed');
        expect([stage, c.waiting, c.active, c.failed]).toEqual([stage, 0, 0, 0]);
      }
    } finally {
      await engine.stop();
    }
  });
});
