import type { Logger } from 'pino';
import { OtklikError, isOtklikError } from '../core/errors.js';
import { tally } from '../core/metrics.js';
import { revisionKey, toJobIdPart } from '../core/post.js';
import type { ClaimLedger } from '../ports/claim-ledger.js';
import type { Counters } from '../ports/counters.js';
import type { SearchIndex } from '../ports/search-index.js';
import type { DeadLetters } from './dead-letter.js';
import { indexJobSchema, type IndexJob } from './payloads.js';
import type { StageQueues } from './queues.js';
import { searchOutageHold } from './search-outage-hold.js';
import { claimItems } from './stage-helpers.js';
import { runStage } from './stage-runner.js';

export interface IndexProcessorDeps {
  log: Logger;
  queues: Pick<StageQueues, 'holdIndex'>;
  deadLetters: DeadLetters;
  search: SearchIndex;
  /** Posts that completed the index stage. */
  completed: ClaimLedger;
  counters: Counters;
  /** How long the index queue holds while the search backend is unreachable. */
  outageHoldMs: number;
}

/**
 * `index`: writes routed posts and mirrored incidents (with their events) to the search backend.
 * A document the backend refuses for good is dead-lettered with the reason; an unreachable backend
 * holds the queue (searchOutageHold).
 */
export function createIndexProcessor(d: IndexProcessorDeps) {
  const log = d.log.child({ component: 'index' });
  const hold = searchOutageHold({ queues: d.queues, counters: d.counters, holdMs: d.outageHoldMs }, log);
  return runStage<IndexJob>('index', indexJobSchema, d.deadLetters, log, async (data, job) => {
    const at = new Date().toISOString();
    const outcome = data.items.length === 0 ? { rejected: [] } : await hold(() => d.search.indexPosts(
      data.items.map((r) => ({
        post: r.post,
        classification: r.classification,
        analyzedAt: r.analyzedAt,
        routedAt: r.routedAt,
        ...(r.incidentId === undefined ? {} : { incidentId: r.incidentId }),
      })),
    ));
    // A post the backend refuses for good (e.g. a mapping error) is dead-lettered with the reason.
    const refused = new Map(outcome.rejected.map((r) => [r.postId, r.reason]));
    await d.deadLetters.add(
      data.items
        .filter((r) => refused.has(r.post.id))
        .map((r) => ({
          stage: 'index',
          sourceId: r.post.sourceId,
          ref: toJobIdPart(revisionKey(r.post)),
          error: new OtklikError('SEARCH_DOCUMENT_REJECTED', refused.get(r.post.id) ?? 'rejected').toJSON(),
          payload: r,
          attempts: job.attemptsMade + 1,
          at,
        })),
    );
    // Incident documents refused for good are set aside on their own: the job's posts are indexed.
    if (data.incidents && data.incidents.length > 0) {
      try {
        await hold(() => d.search.indexIncidents(data.incidents ?? []));
      } catch (e) {
        if (!isOtklikError(e) || e.code !== 'SEARCH_DOCUMENT_REJECTED') throw e;
        await d.deadLetters.add([{ stage: 'index', ref: `inc.${job.id ?? ''}`, error: e.toJSON(), payload: data.incidents, attempts: job.attemptsMade + 1, at }]);
      }
    }
    const accepted = data.items.filter((r) => !refused.has(r.post.id));
    const claims = await d.completed.claim(job.id ?? '', claimItems(accepted.map((r) => r.post)));
    await d.counters.count(tally('otklik_posts_indexed_total', accepted.filter((_, i) => claims[i]), (r) => ({ source: r.post.sourceId })));
    return { indexed: claims.filter(Boolean).length, rejected: refused.size, incidents: data.incidents?.length ?? 0 };
  });
}
