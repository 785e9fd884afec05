import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEngine } from '../../../src/roles/engine.js';
import { RedisKeys } from '../../../src/adapters/redis/keys.js';
import { StatsStore } from '../../../src/adapters/redis/stats.store.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts, pipelineCounts } from '../../helpers/engine.js';
import { demoLines, expectedOutcome, writeCorpus } from '../../helpers/corpus.js';
import { FakeElasticsearch } from '../../helpers/fake-elasticsearch.js';
import { soakSeconds } from '../../helpers/soak.js';
import { waitFor } from '../../helpers/wait.js';

const t = useTestRedis();
const es = new FakeElasticsearch();
beforeAll(() => es.start());
afterAll(() => es.stop());

// A minute with FAULT_SOAK=1; a few seconds in the default run.
const OUTAGE_S = soakSeconds(5, 60);

describe('search backend outage', () => {
  it(`Elasticsearch down for ${OUTAGE_S} s: the index queue backs up without spending attempts, then drains; nothing lost, nothing twice`, async () => {
    const lines = demoLines();
    const expected = expectedOutcome(lines);
    const prefix = freshPrefix();
    const keys = new RedisKeys(prefix);
    await es.takeDown();
    const engine = await startEngine({
      config: testConfig({
        REDIS_URL: t.server.url,
        QUEUE_PREFIX: prefix,
        DEMO_CORPUS: writeCorpus(lines),
        SEARCH_BACKEND: 'elasticsearch',
        ELASTICSEARCH_URL: es.url,
        ES_REQUEST_TIMEOUT_MS: '1000',
        SEARCH_OUTAGE_HOLD_MS: '250',
        // Few attempts: without the hold, the outage would dead-letter every batch at once.
        PIPELINE_ATTEMPTS: '2',
        PIPELINE_BATCH_SIZE: '20',
      }),
      log: silentLog,
    });
    try {
      const wentDown = Date.now();
      // Classification and routing go on while search is down; the index queue fills until the
      // pollers see the backlog and hold back, so Redis does not fill with the whole stream.
      // The stage holds (counted for /metrics) instead of failing its jobs. The client's own three
      // retries come first, so the first hold is a few seconds in.
      const holds = async () =>
        (await new StatsStore(t.redis, keys).counters()).filter((c) => c.name === 'otklik_stage_holds_total' && c.labels.stage === 'index').reduce((n, c) => n + c.value, 0);
      await waitFor(async () => (await holds()) > 0, 30_000, 'a hold of the index stage');
      await sleep(Math.max(0, OUTAGE_S * 1000 - (Date.now() - wentDown)));
      const during = await pipelineCounts(t.redis, prefix);
      const depth = await engine.queues.depths();
      expect(during.admitted).toBeGreaterThan(0);
      expect(during.completed).toBe(0);
      expect(depth.index?.waiting ?? 0).toBeGreaterThan(0);
      expect(depth.index?.failed ?? 0).toBe(0);
      expect(depth.deadletter?.waiting).toBeLessThanOrEqual(expected.invalid);
      expect(es.counts.bulk).toBe(0);

      await es.bringUp();
      const done = await waitForCounts(t.redis, prefix, (c) => c.completed >= expected.valid && c.alertPosts >= expected.alerts && c.deadLetters >= expected.invalid, 90_000);
      expect(done).toEqual({ admitted: expected.valid, completed: expected.valid, alertPosts: expected.alerts, deadLetters: expected.invalid });
      // Every valid post is in the index once (ids are the documents' keys); every incident was
      // mirrored, the ones opened during the outage included.
      await waitFor(async () => (await engine.queues.byStage.index.getWaitingCount()) + (await engine.queues.byStage.index.getActiveCount()) === 0);
      expect(es.count('social-posts')).toBe(expected.valid);
      expect(es.count('incidents')).toBe(Number(await t.redis.hget(keys.stats(), 'incidents_opened')));
      const failed = await engine.queues.byStage.index.getFailedCount();
      expect(failed).toBe(0);
    } finally {
      await engine.stop();
    }
  });

  it('incident documents the cluster refuses for good are dead-lettered on their own; the posts of their batch are indexed', async () => {
    const lines = [
      JSON.stringify({ platform: 'vk', kind: 'post', item: { id: 1, owner_id: -7, from_id: 5, date: 1763730000, text: 'Яма на дороге у школы, машины бьют колёса, ужас' } }),
      JSON.stringify({ platform: 'vk', kind: 'post', item: { id: 2, owner_id: -7, from_id: 5, date: 1763730001, text: 'Спасибо за новую остановку!' } }),
    ];
    const prefix = freshPrefix();
    es.refuse.add('refusing-incidents');
    const engine = await startEngine({
      config: testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines), SEARCH_BACKEND: 'elasticsearch', ELASTICSEARCH_URL: es.url, ES_INDEX_PREFIX: 'refusing-' }),
      log: silentLog,
    });
    try {
      const done = await waitForCounts(t.redis, prefix, (c) => c.completed >= 2 && c.deadLetters >= 1);
      expect(done).toEqual({ admitted: 2, completed: 2, alertPosts: 1, deadLetters: 1 });
      expect(es.count('refusing-social-posts')).toBe(2);
      const [letter] = (await engine.queues.deadLetter.getWaiting()).map((j) => j.data as { stage: string; error: { code: string }; payload: { id: string }[] });
      expect(letter).toMatchObject({ stage: 'index', error: { code: 'SEARCH_DOCUMENT_REJECTED' } });
      expect(letter?.payload).toHaveLength(1);
    } finally {
      await engine.stop();
      es.refuse.clear();
    }
  });
});
