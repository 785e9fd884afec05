import { RateLimitError, type Job } from 'bullmq';
import { isOtklikError, OtklikError } from '../core/errors.js';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { revisionKey, toJobIdPart, type Post } from '../core/post.js';
import type { ClassifierSource } from '../learning/live-classifier.js';
import type { ParentContext } from '../core/classify/classifier.js';
import type { RouterSource } from '../routing/live-router.js';
import type { Ledger } from '../adapters/redis/ledger.js';
import type { IncidentStore } from '../adapters/redis/incident.store.js';
import type { StatsStore } from '../adapters/redis/stats.store.js';
import type { SearchIndex } from '../search/search-index.js';
import { analyzePosts, parentsOutside, type StageFailure } from './analyze.stage.js';
import { routePosts } from './route.stage.js';
import type { DeadLetter, DeadLetters } from './dead-letter.js';
import type { PipelineQueues } from './queues.js';
import { stageJobOptions } from './queues.js';
import { runStage } from './stage-runner.js';
import type { NearDuplicateIndex } from '../adapters/redis/near-duplicate.index.js';
import { signatureSimilarity } from '../core/classify/near-duplicates.js';
import { incidentIdFor, type Incident } from '../core/incident/incident.js';
import { tally } from '../metrics/counters.js';
import {
  analyzeJobSchema,
  incidentMirrorJobSchema,
  indexJobSchema,
  INCIDENT_MIRROR_JOB,
  routeJobSchema,
  type AnalyzeJob,
  type IncidentMirrorJob,
  type IndexJob,
  type RouteJob,
  type RoutedPost,
} from './payloads.js';

export interface ProcessorDeps {
  config: Config;
  log: Logger;
  queues: PipelineQueues;
  deadLetters: DeadLetters;
  /** The classifier in force (the shipped models, or those retrained from moderators' decisions). */
  classifier: ClassifierSource;
  /** The router in force (the rules file's, or the route table set through the API). */
  router: RouterSource;
  /** Posts admitted into analysis: one claim per (id, revision). */
  admitted: Ledger;
  /** Posts that completed the index stage. */
  completed: Ledger;
  incidents: IncidentStore;
  stats: StatsStore;
  search: SearchIndex;
  now: () => Date;
  /** Near-duplicate detection; without it every alert opens its own incident. */
  duplicates?: DuplicateDeps;
  /** What recent posts were about, for the comments that answer them in later batches. */
  postContexts?: {
    recall(ids: readonly string[]): Promise<Map<string, ParentContext>>;
    remember(entries: readonly ({ id: string } & ParentContext)[]): Promise<void>;
  };
}

export interface DuplicateDeps {
  index: NearDuplicateIndex;
  minSimilarity: number;
  /** Attaches posts to an incident; false when the incident can no longer take posts (closed, merged). */
  attach(incidentId: string, postIds: readonly string[], similarity: number): Promise<boolean>;
}

interface Attachment {
  incidentId: string;
  similarity: number;
}

/**
 * Which of the batch's new incidents are copies of an open incident (earlier, or earlier in this
 * batch): those are attached to it instead of opened. Returns, per incident, where it goes. Redis
 * is asked once for the whole batch; each post's decision is kept for retries.
 */
async function findDuplicates(incidents: readonly Incident[], fingerprints: readonly (string | undefined)[], dup: DuplicateDeps): Promise<(Attachment | undefined)[]> {
  const withSig = incidents.flatMap((inc, i) => (fingerprints[i] === undefined ? [] : [{ i, inc, sig: fingerprints[i] }]));
  const found = await dup.index.findMany(
    withSig.map((w) => w.sig),
    dup.minSimilarity,
  );
  const local: { id: string; sig: string }[] = [];
  const proposed: (Attachment | undefined)[] = [];
  withSig.forEach((w, k) => {
    let best: Attachment | undefined;
    for (const l of local) {
      const similarity = signatureSimilarity(w.sig, l.sig);
      if (similarity >= dup.minSimilarity && (!best || similarity > best.similarity)) best = { incidentId: l.id, similarity };
    }
    // The post's own incident (a redelivery) is not its duplicate.
    best ??= (found[k] ?? []).find((c) => c.incidentId !== w.inc.id);
    if (!best) local.push({ id: w.inc.id, sig: w.sig });
    proposed.push(best);
  });
  // A retry keeps the first attempt's decision.
  const decided = await dup.index.decideMany(withSig.map((w, k) => ({ postId: w.inc.postIds[0] as string, incidentId: proposed[k]?.incidentId ?? w.inc.id })));
  const out: (Attachment | undefined)[] = incidents.map(() => undefined);
  withSig.forEach((w, k) => {
    const target = decided[k] as string;
    out[w.i] = target === w.inc.id ? undefined : { incidentId: target, similarity: proposed[k]?.similarity ?? dup.minSimilarity };
  });
  return out;
}

function claimItems(posts: readonly Pick<Post, 'id' | 'revision' | 'createdAt'>[]) {
  return posts.map((p) => ({ key: revisionKey(p), day: p.createdAt.slice(0, 10) }));
}

function failuresToDeadLetters<T>(stage: string, failures: StageFailure<T>[], post: (t: T) => Post, job: Job): DeadLetter[] {
  return failures.map((f) => ({
    stage,
    sourceId: post(f.item).sourceId,
    ref: toJobIdPart(revisionKey(post(f.item))),
    error: f.error.toJSON(),
    payload: f.item,
    attempts: job.attemptsMade + 1,
    at: new Date().toISOString(),
  }));
}

/** Post text is hostile input: no control characters or line breaks into a terminal, and short. */
export function logExcerpt(text: string, max = 90): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function createAnalyzeProcessor(d: ProcessorDeps) {
  const log = d.log.child({ component: 'analyze' });
  return runStage<AnalyzeJob>('analyze', analyzeJobSchema, d.deadLetters, log, async (data, job) => {
    const jobId = job.id ?? '';
    const claims = await d.admitted.claim(jobId, claimItems(data.posts));
    const fresh = data.posts.filter((_, i) => claims[i]);
    const parents = d.postContexts ? await d.postContexts.recall(parentsOutside(fresh)) : new Map<string, ParentContext>();
    const { analyzed, failed } = analyzePosts(fresh, await d.classifier.current(), d.now(), parents);
    // Topical posts are remembered for the comments that will answer them.
    await d.postContexts?.remember(
      analyzed.filter((a) => a.post.kind === 'post' && (a.classification.topics[0]?.id ?? 'other') !== 'other').map((a) => ({ id: a.post.id, topic: a.classification.topics[0]?.id ?? 'other', problem: a.classification.problem?.reported ?? false })),
    );
    await d.stats.count([
      ...tally('otklik_posts_analyzed_total', analyzed, (a) => ({ source: a.post.sourceId })),
      ...tally('otklik_posts_classified_total', analyzed, (a) => ({
        topic: a.classification.topics[0]?.id ?? 'other',
        sentiment: a.classification.sentiment.label,
        type: a.classification.type,
        alert: String(a.classification.alert),
      })),
    ]);
    await d.deadLetters.add(failuresToDeadLetters('analyze', failed, (p) => p, job));
    if (analyzed.length > 0) {
      await d.queues.byStage.route.add('route', { items: analyzed } satisfies RouteJob, { ...stageJobOptions(d.config), jobId: `rt.${jobId}` });
    }
    return { posts: data.posts.length, duplicates: data.posts.length - fresh.length, failed: failed.length };
  });
}

export function createRouteProcessor(d: ProcessorDeps) {
  const log = d.log.child({ component: 'route' });
  return runStage<RouteJob>('route', routeJobSchema, d.deadLetters, log, async (data, job) => {
    const jobId = job.id ?? '';
    // Every line of this batch carries its job id, so an alert's log line leads back to its batch.
    const jlog = log.child({ jobId });
    const { routed, incidents: proposed, failed } = routePosts(data.items, await d.router.current(), d.now());
    const itemOf = new Map(routed.map((r) => [r.incidentId, r]));
    const fingerprints = proposed.map((inc) => itemOf.get(inc.id)?.classification.fingerprint);
    const duplicates = d.duplicates ? await findDuplicates(proposed, fingerprints, d.duplicates) : proposed.map(() => undefined);
    // Originals first, so a copy later in the same batch has an incident to join.
    const incidents = proposed.filter((_, i) => duplicates[i] === undefined);
    const created = await d.incidents.createMany(incidents);
    const dup = d.duplicates;
    const attachedItems: RoutedPost[] = [];
    if (dup) {
      await dup.index.addMany(incidents.flatMap((inc) => {
        const signature = itemOf.get(inc.id)?.classification.fingerprint;
        return signature ? [{ incidentId: inc.id, signature }] : [];
      }));
      // Copies are attached per incident they join, in one transition each.
      const byTarget = new Map<string, { items: RoutedPost[]; incidents: Incident[]; similarity: number }>();
      proposed.forEach((inc, i) => {
        const to = duplicates[i];
        const item = itemOf.get(inc.id);
        if (!to || !item) return;
        const group = byTarget.get(to.incidentId) ?? { items: [], incidents: [], similarity: 0 };
        group.items.push(item);
        group.incidents.push(inc);
        group.similarity = Math.max(group.similarity, to.similarity);
        byTarget.set(to.incidentId, group);
      });
      const orphans: Incident[] = [];
      for (const [target, group] of byTarget) {
        if (await dup.attach(target, group.items.map((it) => it.post.id), group.similarity)) {
          attachedItems.push(...group.items);
          for (const it of group.items) {
            it.incidentId = target;
            jlog.info({ incidentId: target, postId: it.post.id }, `near-duplicate attached to incident ${target}: «${logExcerpt(it.post.text)}»`);
          }
        } else {
          // The original closed or merged meanwhile: these open on their own.
          for (const it of group.items) await dup.index.redecide(it.post.id, incidentIdFor(it.post.id));
          orphans.push(...group.incidents);
        }
      }
      if (orphans.length > 0) {
        const made = await d.incidents.createMany(orphans);
        incidents.push(...orphans);
        created.push(...made);
      }
    }
    await d.stats.count([
      ...tally('otklik_alerts_opened_total', incidents.filter((_, i) => created[i]), (inc) => ({ topic: inc.topic, body: inc.proposedBodyId })),
      ...tally('otklik_duplicates_attached_total', attachedItems, (r) => ({ source: r.post.sourceId })),
    ]);
    const textOf = new Map(data.items.map((a) => [a.post.id, a.post.text]));
    incidents.forEach((inc, i) => {
      if (!created[i]) return;
      const excerpt = logExcerpt(textOf.get(inc.postIds[0] ?? '') ?? '');
      jlog.info(
        { incidentId: inc.id, topic: inc.topic, bodyId: inc.proposedBodyId, priority: inc.priority, type: inc.type, territory: inc.territory, permalink: inc.permalink },
        `alert (${inc.topic}, ${inc.type}${inc.priority === 'high' ? ', HIGH' : ''}) → ${inc.proposedBodyId}: «${excerpt}» incident ${inc.id} awaits moderation`,
      );
    });
    const now = d.now().getTime();
    await d.stats.recordLatencies('capture_to_routed', routed.map((r) => now - Date.parse(r.post.capturedAt)));
    await d.deadLetters.add(failuresToDeadLetters('route', failed, (a) => a.post, job));
    if (routed.length > 0) {
      // The batch's incidents go along (a retry sends them again: the index keeps the newer version).
      await d.queues.byStage.index.add('index', { items: routed, ...(incidents.length > 0 ? { incidents } : {}) } satisfies IndexJob, { ...stageJobOptions(d.config), jobId: `ix.${jobId}` });
    }
    return { routed: routed.length, incidents: created.filter(Boolean).length, attached: proposed.length - incidents.length, failed: failed.length };
  });
}

/**
 * While the search backend is unreachable, retries would only spend a batch's attempts and end in
 * the dead letters: instead the whole index queue pauses (one probe per hold, shared by every
 * worker), its jobs wait where they are, the stages before it keep going, and the queue drains
 * once the backend answers again. The pollers see the backlog grow and hold back.
 */
function searchOutageHold(d: ProcessorDeps, log: ProcessorDeps['log']) {
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
        log.error({ code: e.code, err: e.message, holdMs: d.config.SEARCH_OUTAGE_HOLD_MS }, 'search backend unreachable: the index stage holds its jobs and probes again after the hold');
      }
      await d.stats.count([{ name: 'otklik_stage_holds_total', labels: { stage: 'index', code: e.code }, value: 1 }]);
      await d.queues.byStage.index.rateLimit(d.config.SEARCH_OUTAGE_HOLD_MS);
      // Back to waiting without spending an attempt.
      throw new RateLimitError();
    }
  };
}

export function createIndexProcessor(d: ProcessorDeps) {
  const log = d.log.child({ component: 'index' });
  const hold = searchOutageHold(d, log);
  const mirror = runStage<IncidentMirrorJob>('index', incidentMirrorJobSchema, d.deadLetters, log, async (data) => {
    await hold(() => d.search.indexIncidents([data]));
    return { incidents: 1 };
  });
  const posts = runStage<IndexJob>('index', indexJobSchema, d.deadLetters, log, async (data, job) => {
    const outcome = await hold(() => d.search.indexPosts(
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
    const at = new Date().toISOString();
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
    // Alerts are searchable as incidents from the moment they open, not only after a first transition.
    // Incident documents refused for good are set aside on their own: the batch's posts are indexed.
    try {
      await hold(() => d.search.indexIncidents((data.incidents ?? []).map((incident) => ({ incident, events: [] }))));
    } catch (e) {
      if (!isOtklikError(e) || e.code !== 'SEARCH_DOCUMENT_REJECTED') throw e;
      await d.deadLetters.add([{ stage: 'index', ref: `inc.${job.id ?? ''}`, error: e.toJSON(), payload: data.incidents, attempts: job.attemptsMade + 1, at }]);
    }
    const accepted = data.items.filter((r) => !refused.has(r.post.id));
    const claims = await d.completed.claim(job.id ?? '', claimItems(accepted.map((r) => r.post)));
    await d.stats.count(tally('otklik_posts_indexed_total', accepted.filter((_, i) => claims[i]), (r) => ({ source: r.post.sourceId })));
    return { indexed: claims.filter(Boolean).length, rejected: refused.size };
  });
  return (job: Job, token?: string) => (job.name === INCIDENT_MIRROR_JOB ? mirror(job, token) : posts(job, token));
}
