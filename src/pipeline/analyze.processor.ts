import type { Logger } from 'pino';
import { tally } from '../core/metrics.js';
import type { ParentContext } from '../core/classify/classifier.js';
import type { ClassifierSource } from '../learning/live-classifier.js';
import type { ClaimLedger } from '../ports/claim-ledger.js';
import type { Counters } from '../ports/counters.js';
import type { PostContexts } from '../ports/post-contexts.js';
import { analyzePosts, parentsOutside } from './analyze.stage.js';
import type { DeadLetters } from './dead-letter.js';
import { analyzeJobSchema, type AnalyzeJob, type RouteJob } from './payloads.js';
import type { StageQueues } from './queues.js';
import { claimItems, failuresToDeadLetters } from './stage-helpers.js';
import { runStage } from './stage-runner.js';

export interface AnalyzeProcessorDeps {
  log: Logger;
  queues: StageQueues;
  deadLetters: DeadLetters;
  /** The classifier in force (the shipped models, or those retrained from moderators' decisions). */
  classifier: ClassifierSource;
  /** Posts admitted into analysis: one claim per (id, revision). */
  admitted: ClaimLedger;
  counters: Counters;
  now: () => Date;
  /** What recent posts were about, for the comments that answer them in later batches. */
  postContexts?: PostContexts;
  /** Sources whose every post is an appeal (the sources file's `alerts.everyPost`). */
  everyPostSources?: ReadonlySet<string>;
}

/** `analyze`: claims each post once, classifies the batch (comments with their parents) and hands it to `route`. */
export function createAnalyzeProcessor(d: AnalyzeProcessorDeps) {
  const log = d.log.child({ component: 'analyze' });
  return runStage<AnalyzeJob>('analyze', analyzeJobSchema, d.deadLetters, log, async (data, job) => {
    const jobId = job.id ?? '';
    const claims = await d.admitted.claim(jobId, claimItems(data.posts));
    const fresh = data.posts.filter((_, i) => claims[i]);
    const parents = d.postContexts ? await d.postContexts.recall(parentsOutside(fresh)) : new Map<string, ParentContext>();
    const { analyzed, failed } = analyzePosts(fresh, await d.classifier.current(), d.now(), parents, (id) => d.everyPostSources?.has(id) === true);
    // Topical posts are remembered for the comments that will answer them.
    await d.postContexts?.remember(
      analyzed.filter((a) => a.post.kind === 'post' && (a.classification.topics[0]?.id ?? 'other') !== 'other').map((a) => ({ id: a.post.id, topic: a.classification.topics[0]?.id ?? 'other', problem: a.classification.problem?.reported ?? false })),
    );
    await d.counters.count([
      ...tally('otklik_posts_analyzed_total', analyzed, (a) => ({ source: a.post.sourceId })),
      ...tally('otklik_posts_classified_total', analyzed, (a) => ({
        topic: a.classification.topics[0]?.id ?? 'other',
        sentiment: a.classification.sentiment.label,
        type: a.classification.type,
        alert: String(a.classification.alert),
      })),
    ]);
    await d.deadLetters.add(failuresToDeadLetters('analyze', failed, (p) => p, job));
    if (analyzed.length > 0) await d.queues.add('route', { items: analyzed } satisfies RouteJob, `rt.${jobId}`);
    return { posts: data.posts.length, duplicates: data.posts.length - fresh.length, failed: failed.length };
  });
}
