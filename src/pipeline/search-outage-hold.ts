import { RateLimitError } from 'bullmq';
import type { Logger } from 'pino';
import { isOtklikError } from '../core/errors.js';
import type { Counters } from '../ports/counters.js';
import type { StageQueues } from './queues.js';

/**
 * While the search backend is unreachable, retries would only spend a batch's attempts and end in
 * the dead letters: instead the whole index queue pauses (one probe per hold, shared by every
 * worker), its jobs wait where they are, the stages before it keep going, and the queue drains
 * once the backend answers again. The pollers see the backlog grow and hold back.
 */
export function searchOutageHold(d: { queues: Pick<StageQueues, 'holdIndex'>; counters: Counters; holdMs: number }, log: Logger) {
  let downSince: number | undefined;
  return async <T>(write: () => Promise<T>): Promise<T> => {
    try {
      const result = await write();
      if (downSince !== undefined) {
        log.warn({ downS: Math.round((Date.now() - downSince) / 1000) }, 'search backend answers again: the index stage drains its backlog');
        downSince = undefined;
      }
      return result;
    } catch (e) {
      if (!isOtklikError(e) || e.code !== 'SEARCH_UNAVAILABLE' || !e.retryable) throw e;
      if (downSince === undefined) {
        downSince = Date.now();
        log.error({ code: e.code, err: e.message, holdMs: d.holdMs }, 'search backend unreachable: the index stage holds its jobs and probes again after the hold');
      }
      await d.counters.count([{ name: 'otklik_stage_holds_total', labels: { stage: 'index', code: e.code }, value: 1 }]);
      await d.queues.holdIndex(d.holdMs);
      // Back to waiting without spending an attempt.
      throw new RateLimitError();
    }
  };
}
