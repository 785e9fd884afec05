import type { Logger } from 'pino';
import { tally } from '../core/metrics.js';
import type { ParentContext } from '../core/classify/classifier.js';
import type { ClassifierSource } from '../learning/live-classifier.js';
import type { ClaimLedger } from '../ports/claim-ledger.js';
import type { Counters } from '../ports/counters.js';
import type { Stats } from '../ports/stats.js';
import type { PostContexts } from '../ports/post-contexts.js';
import { analyzePosts, parentsOutside } from './analyze.stage.js';
import type { DeadLetters } from './dead-letter.js';
import { analyzeJobSchema, type AnalyzedPost, type AnalyzeJob, type IndexJob, type RouteJob } from './payloads.js';
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
  /** For the posts decided here (no alert, nothing to route): capture → decision latency. */
  stats: Pick<Stats, 'recordLatencies'>;
  now: () => Date;
  /** What recent posts were about, for the comments that answer them in later batches. */
  postContexts?: PostContexts;
  /** Sources whose every post is an appeal (the sources file's `alerts.everyPost`). */
  everyPostSources?: ReadonlySet<string>;
}

/**
 * Does the route stage have anything to do with this post? Alerts are routed (and become
 * incidents); comments under a post are read there for the residents' reaction to an answer.
 * Everything else is decided here and goes straight to `index`: most posts are neither, and the
 * route queue would only carry them through (a stage passes only what the next needs).
 */
export function needsRouting(a: AnalyzedPost): boolean {
  return a.classification.alert || (a.post.kind === 'comment' && a.post.parentId !== undefined);
}

/** `analyze`: claims each post once, classifies the batch (comments with their parents), hands alerts and replies to `route` and the rest to `index`. */
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
    const toRoute = analyzed.filter(needsRouting);
    const decided = analyzed.filter((a) => !needsRouting(a));
    if (toRoute.length > 0) await d.queues.add('route', { items: toRoute } satisfies RouteJob, `rt.${jobId}`);
    if (decided.length > 0) {
      const now = d.now();
      const routedAt = now.toISOString();
      // Job ids stay deterministic (a retry adds nothing twice) and apart from the route stage's `ix.rt.…`.
      await d.queues.add('index', { items: decided.map((a) => ({ ...a, routedAt })) } satisfies IndexJob, `ix.${jobId}`);
      await d.stats.recordLatencies('capture_to_routed', decided.map((a) => now.getTime() - Date.parse(a.post.capturedAt)));
    }
    return { posts: data.posts.length, duplicates: data.posts.length - fresh.length, failed: failed.length };
  });
}
