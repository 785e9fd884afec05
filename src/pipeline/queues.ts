import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Config } from '../config/config.js';
import { STAGES, type Stage } from './payloads.js';

export const DEAD_LETTER_QUEUE = 'deadletter';
export const TIMER_QUEUE = 'timers';
export const NOTIFY_QUEUE = 'notify';

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  prioritized: number;
  /** Seconds the oldest waiting job has waited (absent when none waits): a stuck stage shows here first. */
  oldestWaitingS?: number;
}

/**
 * Retries with exponential backoff. Completed jobs carry whole batches (500 posts with their
 * classifications is about 2 MB), so only the last ten per stage are kept, for inspection:
 * exactly-once rests on the claim ledger and idempotent writes, not on job ids.
 */
export function stageJobOptions(config: Pick<Config, 'PIPELINE_ATTEMPTS' | 'PIPELINE_BACKOFF_MS'>): JobsOptions {
  return {
    attempts: config.PIPELINE_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.PIPELINE_BACKOFF_MS },
    removeOnComplete: { count: 10 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** How a stage hands its batch to the next one: one job per batch, its id derived from the batch. */
export interface StageQueues {
  add(stage: Exclude<Stage, 'poll'>, data: unknown, jobId: string): Promise<void>;
  addBulk(stage: Exclude<Stage, 'poll'>, jobs: readonly { data: unknown; jobId: string }[]): Promise<void>;
  /** Holds the index queue for a while: its jobs wait where they are (the search backend is down). */
  holdIndex(ms: number): Promise<void>;
  /** Batches waiting in the stages after poll: what the pollers hold back for. */
  backlog(): Promise<number>;
}

/** The producer side of every stage queue plus the dead-letter queue. */
export class PipelineQueues implements StageQueues {
  readonly byStage: Record<Stage, Queue>;
  readonly deadLetter: Queue;
  /** SLA warnings and breaches, as delayed jobs. */
  readonly timers: Queue;
  /** Notifications to bodies and moderators. */
  readonly notify: Queue;

  /**
   * `jobOptions` are the stages' retries and retention (stageJobOptions); `onError` hears connection
   * errors (Redis restarting), without it BullMQ prints them to stderr.
   */
  constructor(
    connection: ConnectionOptions,
    prefix: string,
    onError?: (queue: string, e: Error) => void,
    private readonly jobOptions: JobsOptions = {},
  ) {
    const make = (name: string) => {
      const q = new Queue(name, { connection, prefix });
      if (onError) q.on('error', (e) => onError(name, e));
      return q;
    };
    this.byStage = { poll: make('poll'), analyze: make('analyze'), route: make('route'), index: make('index') };
    this.deadLetter = make(DEAD_LETTER_QUEUE);
    this.timers = make(TIMER_QUEUE);
    this.notify = make(NOTIFY_QUEUE);
  }

  async add(stage: Exclude<Stage, 'poll'>, data: unknown, jobId: string): Promise<void> {
    await this.byStage[stage].add(stage, data, { ...this.jobOptions, jobId });
  }

  async addBulk(stage: Exclude<Stage, 'poll'>, jobs: readonly { data: unknown; jobId: string }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.byStage[stage].addBulk(jobs.map((j) => ({ name: stage, data: j.data, opts: { ...this.jobOptions, jobId: j.jobId } })));
  }

  async holdIndex(ms: number): Promise<void> {
    await this.byStage.index.rateLimit(ms);
  }

  /** Every queue of the engine. */
  all(): Queue[] {
    return [...Object.values(this.byStage), this.deadLetter, this.timers, this.notify];
  }

  async depths(): Promise<Record<string, QueueDepth>> {
    const out: Record<string, QueueDepth> = {};
    const all: [string, Queue][] = [
      ...STAGES.map((s): [string, Queue] => [s, this.byStage[s]]),
      [DEAD_LETTER_QUEUE, this.deadLetter],
      [TIMER_QUEUE, this.timers],
      [NOTIFY_QUEUE, this.notify],
    ];
    await Promise.all(
      all.map(async ([name, q]) => {
        const [c, [oldest]] = await Promise.all([q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'), q.getJobs(['waiting'], 0, 0, true)]);
        out[name] = {
          ...(oldest ? { oldestWaitingS: Math.max(0, Math.round((Date.now() - oldest.timestamp) / 1000)) } : {}),
          waiting: c.waiting ?? 0,
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
          completed: c.completed ?? 0,
          prioritized: c.prioritized ?? 0,
        };
      }),
    );
    return out;
  }

  /** Batches waiting in the stages after poll: what the pollers hold back for. */
  async backlog(): Promise<number> {
    const counts = await Promise.all([this.byStage.analyze, this.byStage.route, this.byStage.index].map((q) => q.getWaitingCount()));
    return counts.reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
