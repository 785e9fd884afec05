import { describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import { z } from 'zod';
import { PipelineQueues } from '../../../src/pipeline/queues.js';
import { DeadLetters } from '../../../src/pipeline/dead-letter.js';
import { runStage } from '../../../src/pipeline/stage-runner.js';
import { OtklikError } from '../../../src/core/errors.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { silentLog } from '../../helpers/engine.js';
import { waitFor } from '../../helpers/wait.js';

const t = useTestRedis({ maxRetriesPerRequest: null });


describe('stage failure policy', () => {
  it('a poison job is retried, then dead-lettered with payload and reason, and the stage keeps flowing', async () => {
    const prefix = freshPrefix();
    const queues = new PipelineQueues(t.redis, prefix);
    const dl = new DeadLetters(queues.deadLetter);
    const handled: number[] = [];
    const attempts: Record<string, number> = {};
    const processor = runStage<{ n: number }>('analyze', z.object({ n: z.number() }), dl, silentLog, async (data, job) => {
      attempts[job.id ?? ''] = (attempts[job.id ?? ''] ?? 0) + 1;
      if (data.n === 13) throw new Error('cannot digest 13');
      if (data.n === 66) throw new OtklikError('POST_INVALID', 'not worth retrying');
      handled.push(data.n);
      return {};
    });
    const worker = new Worker('analyze', processor, { connection: t.redis, prefix, concurrency: 2 });
    try {
      const opts = { attempts: 3, backoff: { type: 'fixed', delay: 20 } };
      await queues.byStage.analyze.addBulk([
        ...[1, 2, 13, 3, 66, 4].map((n) => ({ name: 'a', data: { n }, opts: { ...opts, jobId: `j${n}` } })),
        { name: 'a', data: { n: 'not a number' }, opts: { ...opts, jobId: 'jbad' } },
      ]);
      await waitFor(async () => (await dl.count()) === 3 && handled.length === 4);
      expect(handled.sort()).toEqual([1, 2, 3, 4]);
      const dead = await dl.list(10);
      const byRef = Object.fromEntries(dead.map((d) => [d.ref, d]));
      expect(byRef.j13).toMatchObject({ stage: 'analyze', payload: { n: 13 }, attempts: 3, error: { code: 'STAGE_FAILED', message: 'cannot digest 13' } });
      expect(attempts.j13).toBe(3);
      // Not retryable: dead-lettered on the first attempt.
      expect(byRef.j66).toMatchObject({ attempts: 1, error: { code: 'POST_INVALID' } });
      expect(attempts.j66).toBe(1);
      expect(byRef.jbad).toMatchObject({ error: { code: 'JOB_PAYLOAD_INVALID' }, payload: { n: 'not a number' } });
      expect(byRef.jbad?.error.message).toContain('n: Expected number');
    } finally {
      await worker.close();
      await queues.close();
    }
  });
});
