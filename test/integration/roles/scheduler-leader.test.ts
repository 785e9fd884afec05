import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEngine, type Engine } from '../../../src/roles/engine.js';
import { RedisKeys } from '../../../src/adapters/redis/keys.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog } from '../../helpers/engine.js';
import { spawnEngine } from '../../helpers/process.js';
import { demoLines, writeCorpus } from '../../helpers/corpus.js';
import { waitFor } from '../../helpers/wait.js';

const t = useTestRedis();


describe('the scheduler leader lock', () => {
  it('of two schedulers exactly one leads; when it stops, the other takes over and keeps the schedules', async () => {
    const prefix = freshPrefix();
    // The lock's lifetime is well above what starting the second engine in this same process holds
    // the event loop for (loading its rules: 100–250 ms here, more on a loaded CI machine, where a
    // 600 ms lifetime once lapsed and the second engine took the lead).
    const config = testConfig({ ENGINE_ROLE: 'scheduler', REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, LEADER_LOCK_TTL_MS: '1500', DEMO_CORPUS: writeCorpus(demoLines().slice(0, 5)) });
    const a: Engine = await startEngine({ config, log: silentLog });
    const b: Engine = await startEngine({ config, log: silentLog });
    try {
      expect([a.leadsScheduler, b.leadsScheduler]).toEqual([true, false]);
      // Standing by for several lock lifetimes changes nothing.
      await sleep(4500);
      expect([a.leadsScheduler, b.leadsScheduler]).toEqual([true, false]);
      const holder = await t.redis.get(new RedisKeys(prefix).schedulerLeader());
      expect(holder).toMatch(/:\d+:/);
      expect((await a.queues.byStage.poll.getJobSchedulers()).map((s) => s.key)).toEqual(['poll.demo']);

      await a.stop();
      await waitFor(() => b.leadsScheduler);
      expect(await t.redis.get(new RedisKeys(prefix).schedulerLeader())).not.toBe(holder);
      expect((await b.queues.byStage.poll.getJobSchedulers()).map((s) => s.key)).toEqual(['poll.demo']);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('a leader killed with -9 is replaced within one lock lifetime', async () => {
    const prefix = freshPrefix();
    const env = { ENGINE_ROLE: 'scheduler', REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, LEADER_LOCK_TTL_MS: '1000', DEMO_CORPUS: writeCorpus(demoLines().slice(0, 5)) };
    const child = spawnEngine(env);
    const key = new RedisKeys(prefix).schedulerLeader();
    await waitFor(async () => (await t.redis.get(key)) !== null, 30_000);
    const standby = await startEngine({ config: testConfig(env), log: silentLog });
    try {
      expect(standby.leadsScheduler).toBe(false);
      child.kill('SIGKILL');
      await child.exited;
      // The lock expires at most one TTL (1 s) after the last renewal; the standby tries every third of it.
      await waitFor(() => standby.leadsScheduler, 5000);
    } finally {
      await standby.stop();
    }
  });
});
