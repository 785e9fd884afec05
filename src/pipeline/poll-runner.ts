import type { Logger } from 'pino';
import type { Connector } from '../connector/connector.js';
import { OtklikError, toOtklikError } from '../core/errors.js';
import { postSchema, revisionKey, toJobIdPart, type Post } from '../core/post.js';
import { shortHash } from '../core/revision.js';
import type { Cursors } from '../ports/cursors.js';
import type { SourceHealthStore } from '../ports/source-health.js';
import type { Locks } from '../ports/locks.js';
import type { DeadLetter, DeadLetters } from './dead-letter.js';
import type { StageQueues } from './queues.js';
import type { AnalyzeJob } from './payloads.js';

const AUTH_PAUSE_MS = 3_600_000;

export interface PollRunnerDeps {
  /** Posts per analyze batch, and the batches waiting in the stages at which polling holds back. */
  limits: { batchSize: number; maxBacklog: number };
  log: Logger;
  /** One poller per source at a time, across every process. */
  locks: Locks;
  /** Configured sources of this deployment, by id, with their poll interval. */
  sources: ReadonlyMap<string, ScheduledSource>;
  cursors: Cursors;
  health: SourceHealthStore;
  queues: Pick<StageQueues, 'addBulk' | 'backlog'>;
  deadLetters: DeadLetters;
  now: () => Date;
  /** True once shutdown began: the runner stops between pages. */
  stopping: () => boolean;
}

/** How long one tick may keep reading a source that has more. */
function timeBudgetOf(intervalMs: number): number {
  return Math.max(1000, intervalMs);
}

export interface ScheduledSource {
  connector: Connector;
  intervalMs: number;
  /** The source's own alert policy (sources file), over rules/alerts.json. */
  alerts?: { everyPost: boolean };
}

export interface PollOutcome {
  sourceId: string;
  skipped?: 'locked' | 'backpressure' | 'stopping' | 'paused';
  pages: number;
  enqueued: number;
  rejected: number;
}

/**
 * One scheduled tick of one source: read pages from the cursor, enqueue the posts, dead-letter
 * what cannot be understood, and only then move the cursor (at-least-once; the claim ledger makes
 * a re-read harmless).
 */
export class PollRunner {
  constructor(private readonly d: PollRunnerDeps) {}

  async run(sourceId: string): Promise<PollOutcome> {
    const outcome: PollOutcome = { sourceId, pages: 0, enqueued: 0, rejected: 0 };
    const source = this.d.sources.get(sourceId);
    if (!source) {
      throw new OtklikError('SOURCE_CONFIG_INVALID', `source ${sourceId} is scheduled but not configured in this process`, {
        retryable: false,
        details: { sourceId },
      });
    }
    const pausedUntil = await this.d.health.pausedUntil(sourceId);
    if (pausedUntil && pausedUntil.getTime() > this.d.now().getTime()) return { ...outcome, skipped: 'paused' };
    const { connector, intervalMs } = source;
    // Long enough to cover one tick's work; short enough that a crashed poller's lock lapses fast.
    const lockMs = 2 * timeBudgetOf(intervalMs) + 5000;
    const lock = await this.d.locks.acquire(`poll:${sourceId}`, lockMs);
    if (!lock) return { ...outcome, skipped: 'locked' };
    try {
      await this.loop(connector, intervalMs, outcome);
      await this.d.health.recordSuccess(sourceId, this.d.now(), outcome.enqueued, outcome.rejected);
      return outcome;
    } catch (e) {
      const err = toOtklikError(e);
      const now = this.d.now();
      await this.d.health.recordError(sourceId, now, err.code, err.message);
      if (err.code === 'PLATFORM_RATE_LIMITED') {
        // Wait exactly as long as the platform says before asking again.
        const seconds = err.retryAfterS ?? 5;
        await this.d.health.pause(sourceId, new Date(now.getTime() + seconds * 1000), err.message);
        this.d.log.warn({ sourceId, retryAfterS: seconds }, 'platform rate limit: source paused as the platform asks');
        return { ...outcome, skipped: 'paused' };
      }
      if (err.code === 'PLATFORM_AUTH_FAILED') {
        // Retrying bad credentials forever helps nobody: stop the source for an hour and say so loudly.
        await this.d.health.pause(sourceId, new Date(now.getTime() + AUTH_PAUSE_MS), err.message);
        this.d.log.error({ sourceId, code: err.code, err: err.message }, 'ALERT: source credentials refused; source paused for an hour (fix the token, then restart or wait)');
        return { ...outcome, skipped: 'paused' };
      }
      if (err.code === 'PLATFORM_RESPONSE_INVALID' || err.code === 'PLATFORM_ERROR') {
        // Keep what the platform sent for whoever investigates; the same bad answer is kept once.
        const raw = typeof err.details.raw === 'string' ? err.details.raw : undefined;
        const ref = `${sourceId}.response.${shortHash([err.code, err.message, raw ?? ''])}`;
        await this.d.deadLetters.add([{ stage: 'poll', sourceId, ref, error: err.toJSON(), payload: raw ?? null, attempts: 1, at: now.toISOString() }]);
      }
      this.d.log.error({ sourceId, code: err.code, err: err.message }, 'poll failed; cursor not moved');
      throw err;
    } finally {
      await lock.release();
    }
  }

  private async loop(connector: Connector, intervalMs: number, outcome: PollOutcome): Promise<void> {
    const { limits } = this.d;
    const started = Date.now();
    // A rate-limited source gets its share of items per tick; a free-running one reads on until
    // the tick's time budget is spent, the source is drained, or the pipeline pushes back.
    let budget = connector.itemsPerSecond === undefined ? Number.POSITIVE_INFINITY : Math.max(1, Math.round((connector.itemsPerSecond * intervalMs) / 1000));
    const timeBudgetMs = timeBudgetOf(intervalMs);
    let cursor = (await this.d.cursors.load(connector.sourceId, connector.cursorSchema)) ?? connector.initialCursor();
    while (budget > 0) {
      if (this.d.stopping()) {
        outcome.skipped = 'stopping';
        return;
      }
      const backlog = await this.d.queues.backlog();
      if (backlog >= limits.maxBacklog) {
        outcome.skipped = 'backpressure';
        this.d.log.debug({ sourceId: connector.sourceId, backlog }, 'pipeline backlog high: polling paused');
        return;
      }
      const limit = Math.min(budget, limits.batchSize * 4);
      const page = await connector.poll(cursor, { limit });
      outcome.pages++;
      const posts: Post[] = [];
      const dead: DeadLetter[] = [];
      const at = this.d.now().toISOString();
      for (const item of page.items) {
        if (!item.ok) {
          dead.push({ stage: 'poll', sourceId: connector.sourceId, ref: `${connector.sourceId}.${item.ref}`, error: item.error.toJSON(), payload: item.raw, attempts: 1, at });
          continue;
        }
        const checked = postSchema.safeParse(item.post);
        if (checked.success) {
          posts.push(item.post);
        } else {
          const issue = checked.error.issues[0];
          const field = issue?.path.join('.') ?? '';
          const error = new OtklikError('POST_INVALID', `post ${item.post.id}: field ${field}: ${issue?.message ?? 'invalid'}`, {
            details: { field, postId: item.post.id },
          });
          dead.push({ stage: 'poll', sourceId: connector.sourceId, ref: `${connector.sourceId}.${toJobIdPart(String(item.post.id))}`, error: error.toJSON(), payload: item.post, attempts: 1, at });
        }
      }
      await this.enqueue(connector.sourceId, posts);
      await this.d.deadLetters.add(dead);
      await this.d.cursors.save(connector.sourceId, page.nextCursor);
      for (const notice of page.notices ?? []) {
        this.d.log.warn({ sourceId: connector.sourceId, notice }, 'the source reports something it could not see');
        await this.d.health.recordNotice(connector.sourceId, this.d.now(), notice);
      }
      cursor = page.nextCursor;
      outcome.enqueued += posts.length;
      outcome.rejected += dead.length;
      budget -= page.items.length === 0 ? budget : page.items.length;
      if (!page.more || Date.now() - started >= timeBudgetMs) return;
    }
  }

  private async enqueue(sourceId: string, posts: readonly Post[]): Promise<void> {
    if (posts.length === 0) return;
    const size = this.d.limits.batchSize;
    const jobs = [];
    for (let i = 0; i < posts.length; i += size) {
      const batch = posts.slice(i, i + size);
      const jobId = `an.${sourceId}.${shortHash(batch.map(revisionKey))}`;
      jobs.push({ data: { sourceId, posts: batch } satisfies AnalyzeJob, jobId });
    }
    await this.d.queues.addBulk('analyze', jobs);
  }
}
