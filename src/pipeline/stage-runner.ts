import { DelayedError, RateLimitError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { OtklikError, toOtklikError } from '../core/errors.js';
import type { DeadLetters } from './dead-letter.js';

export interface StageResult {
  deadLettered?: boolean;
  [k: string]: unknown;
}

/**
 * Wraps a stage handler with the pipeline's failure policy: a payload that fails its envelope
 * check, a non-retryable error, or the last allowed attempt sends the job to the dead-letter
 * queue with the reason; anything else is thrown so BullMQ retries it with backoff.
 */
export function runStage<T>(
  stage: string,
  schema: z.ZodTypeAny,
  deadLetters: DeadLetters,
  log: Logger,
  handler: (data: T, job: Job, token?: string) => Promise<StageResult>,
): (job: Job, token?: string) => Promise<StageResult> {
  return async (job, token) => {
    const jobId = job.id ?? 'unknown';
    const attempts = job.opts.attempts ?? 1;
    const deadLetter = async (error: OtklikError) => {
      await deadLetters.add([
        { stage, ref: jobId, error: error.toJSON(), payload: job.data, attempts: job.attemptsMade + 1, at: new Date().toISOString() },
      ]);
      log.error({ stage, jobId, code: error.code, err: error.message }, 'job dead-lettered');
      return { deadLettered: true };
    };
    const parsed = schema.safeParse(job.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return deadLetter(
        new OtklikError('JOB_PAYLOAD_INVALID', `${stage} job ${jobId}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, {
          details: { jobId },
        }),
      );
    }
    try {
      // The parsed envelope: shapes of earlier versions are read as today's (see payloads.ts).
      return await handler(parsed.data as T, job, token);
    } catch (e) {
      // The job chose to wait (a platform's retry-after) or the stage holds (a backend is down): not a failure.
      if (e instanceof DelayedError || e instanceof RateLimitError) throw e;
      const error = toOtklikError(e, 'STAGE_FAILED');
      if (!error.retryable || job.attemptsMade + 1 >= attempts) return deadLetter(error);
      log.warn({ stage, jobId, code: error.code, err: error.message, attempt: job.attemptsMade + 1 }, 'job failed, will retry');
      throw error;
    }
  };
}
