import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { startEngine } from '../../../src/roles/engine.js';
import { startPrivateRedis } from '../../../src/adapters/redis/redis-server.js';
import { freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts, pipelineCounts } from '../../helpers/engine.js';
import { demoLines, expectedOutcome, writeCorpus } from '../../helpers/corpus.js';

/**
 * Redis dies with SIGKILL in the middle of the stream and comes back on the same port and data
 * directory. A killed process loses nothing it acknowledged under either fsync policy: Redis
 * write(2)s the AOF before it answers, and the kernel keeps the written pages. What `everysec`
 * can lose is the last second before a machine crash or power cut (pages not yet fsynced); `always`
 * fsyncs before answering and loses nothing even then (README, "Operating").
 */
describe.each(['everysec', 'always'] as const)('Redis killed with -9 mid-stream (appendfsync %s)', (appendfsync) => {
  it('restarts from its AOF and the pipeline completes: posts in = completed + dead letters, each incident once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-redis-crash-'));
    let redis = await startPrivateRedis({ bin: 'redis-server', dataDir: dir, appendfsync });
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => {});
    const lines = demoLines();
    const expected = expectedOutcome(lines);
    const prefix = freshPrefix();
    const engine = await startEngine({
      config: testConfig({ REDIS_URL: redis.url, QUEUE_PREFIX: prefix, DEMO_CORPUS: writeCorpus(lines), DEMO_RATE_PER_S: '2000', PIPELINE_BATCH_SIZE: '50', PIPELINE_LOCK_MS: '1000' }),
      log: silentLog,
    });
    try {
      const before = await waitForCounts(client, prefix, (c) => c.completed >= 300, 30_000);
      expect(before.completed).toBeLessThan(expected.valid);
      await redis.kill();
      const aofBytes = statSync(join(dir, 'appendonlydir')).isDirectory();
      expect(aofBytes).toBe(true);
      // Down for a moment: the engine's connections retry, its jobs wait.
      await sleep(1500);
      redis = await startPrivateRedis({ bin: 'redis-server', dataDir: dir, appendfsync, port: redis.port });
      const restored = await pipelineCounts(client, prefix);
      // What was acknowledged before the kill is still there.
      expect(restored.completed).toBeGreaterThanOrEqual(before.completed);
      expect(restored.admitted).toBeGreaterThanOrEqual(before.admitted);

      const done = await waitForCounts(client, prefix, (c) => c.completed + c.deadLetters >= expected.valid + expected.invalid && c.alertPosts >= expected.alerts, 90_000);
      // Let jobs the crash left active be recovered as stalled, and finish, before counting again.
      await sleep(3000);
      expect(await pipelineCounts(client, prefix)).toEqual(done);
      expect(done).toEqual({ admitted: expected.valid, completed: expected.valid, alertPosts: expected.alerts, deadLetters: expected.invalid });
    } finally {
      await engine.stop();
      client.disconnect();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
