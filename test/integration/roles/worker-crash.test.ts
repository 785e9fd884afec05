import { describe, expect, it } from 'vitest';
import { startEngine } from '../../../src/roles/engine.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts, pipelineCounts } from '../../helpers/engine.js';
import { demoLines, expectedOutcome, writeCorpus } from '../../helpers/corpus.js';
import { spawnEngine } from '../../helpers/process.js';

const t = useTestRedis();

function workerEnv(prefix: string, corpus: string): Record<string, string> {
  return {
    ENGINE_ROLE: 'worker',
    REDIS_URL: t.server.url,
    QUEUE_PREFIX: prefix,
    DEMO_CORPUS: corpus,
    DEMO_RATE_PER_S: '1500',
    POLL_INTERVAL_MS: '100',
    PIPELINE_BATCH_SIZE: '50',
    PIPELINE_LOCK_MS: '1000',
    PIPELINE_BACKOFF_MS: '50',
  };
}

/** A wait that, when it fails, says what the worker process said and whether it is still alive. */
async function watching<T>(child: ReturnType<typeof spawnEngine>, wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (e) {
    throw new Error(`${(e as Error).message}; worker exit code ${String(child.exitCode)}, stderr: ${child.stderrText().slice(-2000) || '(none)'}`);
  }
}

/** The demo corpus, its expected outcome, and a scheduler in this process; workers are separate processes. */
async function withScheduler(fn: (ctx: { prefix: string; corpus: string; expected: ReturnType<typeof expectedOutcome> }) => Promise<void>): Promise<void> {
  const lines = demoLines();
  const ctx = { prefix: freshPrefix(), corpus: writeCorpus(lines), expected: expectedOutcome(lines) };
  const scheduler = await startEngine({
    config: testConfig({ ENGINE_ROLE: 'scheduler', REDIS_URL: t.server.url, QUEUE_PREFIX: ctx.prefix, DEMO_CORPUS: ctx.corpus }),
    log: silentLog,
  });
  try {
    await fn(ctx);
  } finally {
    await scheduler.stop();
  }
}

describe('worker process faults', () => {
  it('kill -9 of the worker mid-stream, then a restart: every post arrives exactly once', () =>
    withScheduler(async ({ prefix, corpus, expected }) => {
      const first = spawnEngine(workerEnv(prefix, corpus));
      const mid = await watching(first, waitForCounts(t.redis, prefix, (c) => c.completed >= 300, 30_000));
      first.kill('SIGKILL');
      await first.exited;
      expect(mid.completed).toBeLessThan(expected.valid);

      const second = spawnEngine(workerEnv(prefix, corpus));
      try {
        const done = await waitForCounts(t.redis, prefix, (c) => c.completed + c.deadLetters >= expected.valid + expected.invalid, 60_000);
        // Let any job the dead worker held be recovered and finish before counting.
        await new Promise((r) => setTimeout(r, 2500));
        expect(await pipelineCounts(t.redis, prefix)).toEqual(done);
        expect(done).toEqual({ admitted: expected.valid, completed: expected.valid, alertPosts: expected.alerts, deadLetters: expected.invalid });
      } finally {
        second.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      }
    }));

  it('SIGTERM lets jobs in flight finish: nothing is left active, a restart completes the stream', () =>
    withScheduler(async ({ prefix, corpus, expected }) => {
      const first = spawnEngine(workerEnv(prefix, corpus));
      await watching(first, waitForCounts(t.redis, prefix, (c) => c.completed >= 300, 30_000));
      first.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      for (const stage of ['analyze', 'route', 'index']) {
        expect(await t.redis.llen(`${prefix}:${stage}:active`), `${stage} active after SIGTERM`).toBe(0);
      }
      const second = spawnEngine(workerEnv(prefix, corpus));
      try {
        const done = await waitForCounts(t.redis, prefix, (c) => c.completed + c.deadLetters >= expected.valid + expected.invalid, 60_000);
        expect(done).toEqual({ admitted: expected.valid, completed: expected.valid, alertPosts: expected.alerts, deadLetters: expected.invalid });
      } finally {
        second.kill('SIGTERM');
        await second.exited;
      }
    }));
});
