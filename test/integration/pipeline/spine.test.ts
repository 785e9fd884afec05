import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startEngine } from '../../../src/roles/engine.js';
import { RedisKeys } from '../../../src/adapters/redis/keys.js';
import { DeadLetters } from '../../../src/pipeline/dead-letter.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts, pipelineCounts } from '../../helpers/engine.js';
import { demoLines, expectedOutcome, writeCorpus } from '../../helpers/corpus.js';

const t = useTestRedis();

describe('pipeline spine on a real Redis', () => {
  it('takes every post of the demo corpus through all stages exactly once; replaying the file adds nothing', async () => {
    const lines = demoLines();
    const expected = expectedOutcome(lines);
    expect(expected.valid).toBeGreaterThanOrEqual(2000);
    const prefix = freshPrefix();
    const config = testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines) });
    const engine = await startEngine({ config, log: silentLog });
    let stopped = false;
    try {
      const done = await waitForCounts(t.redis, prefix, (c) => c.completed + c.deadLetters >= expected.valid + expected.invalid);
      expect(done).toEqual({ admitted: expected.valid, completed: expected.valid, alertPosts: expected.alerts, deadLetters: expected.invalid });

      // Every stage ran: the ledgers agree with the counters.
      const keys = new RedisKeys(prefix);
      const completedFields = await countLedger(t.redis, keys, 'posts_completed');
      expect(completedFields).toBe(expected.valid);

      // The dead letters name file, line and field, and keep the raw line.
      const dead = await new DeadLetters(engine.queues.deadLetter).list(10);
      expect(dead).toHaveLength(expected.invalid);
      for (const d of dead) {
        expect(d.stage).toBe('poll');
        expect(d.error.message).toMatch(/corpus\.jsonl:\d+: /);
        expect(typeof d.payload).toBe('string');
      }
      expect(dead.map((d) => d.error.code).sort()).toEqual(['POST_INVALID', 'POST_INVALID', 'REPLAY_LINE_MALFORMED']);

      // Replay the same file from the start with another batch size, so every batch job is new
      // and only the claim ledger stands between the replay and double processing.
      await engine.stop();
      stopped = true;
      const routeJobsBefore = await t.redis.zcard(`${prefix}:route:completed`);
      const keys2 = new RedisKeys(prefix);
      await t.redis.del(keys2.cursor('demo'));
      const seenBefore = Number(await t.redis.hget(keys2.sourceHealth('demo'), 'itemsSeen'));
      const again = await startEngine({ config: { ...config, PIPELINE_BATCH_SIZE: 97 }, log: silentLog });
      try {
        const until = Date.now() + 30_000;
        const seen = () => t.redis.hget(keys2.sourceHealth('demo'), 'itemsSeen').then(Number);
        while ((await seen()) < seenBefore + expected.valid && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        expect(await seen()).toBeGreaterThanOrEqual(seenBefore + expected.valid);
        await waitForIdle(again.queues);
        expect(await t.redis.zcard(`${prefix}:analyze:completed`)).toBeGreaterThan(0);
        expect(await pipelineCounts(t.redis, prefix)).toEqual(done);
        expect(await t.redis.zcard(`${prefix}:route:completed`)).toBe(routeJobsBefore);
      } finally {
        await again.stop();
      }
    } finally {
      if (!stopped) await engine.stop();
    }
  });
});

async function countLedger(r: Redis, keys: RedisKeys, name: string): Promise<number> {
  const ledgerKeys = await r.keys(`${keys.prefix}:ledger:${name}:*`);
  let n = 0;
  for (const k of ledgerKeys) n += await r.hlen(k);
  return n;
}

async function waitForIdle(queues: Awaited<ReturnType<typeof startEngine>>['queues']): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const d = await queues.depths();
    const busy = ['analyze', 'route', 'index'].some((s) => (d[s]?.waiting ?? 0) + (d[s]?.active ?? 0) + (d[s]?.delayed ?? 0) > 0);
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('queues did not drain');
}
