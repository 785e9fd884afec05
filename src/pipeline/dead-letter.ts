import type { Queue } from 'bullmq';
import type { OtklikError } from '../core/errors.js';
import { noCounters, tally, type Counters } from '../metrics/counters.js';

/** What the dead-letter queue keeps: the payload, where it failed and why. Nothing is dropped. */
export interface DeadLetter {
  stage: string;
  sourceId?: string;
  /** Stable reference of the item (post key, file line, job id). */
  ref: string;
  error: ReturnType<OtklikError['toJSON']>;
  payload: unknown;
  attempts: number;
  at: string;
}

/** Dead letters are jobs in a queue no worker consumes, so they stay until an operator acts. */
export class DeadLetters {
  constructor(
    private readonly queue: Queue,
    private readonly counters: Counters = noCounters,
  ) {}

  /** Ids are deterministic, so dead-lettering the same item twice keeps one entry. */
  async add(entries: readonly DeadLetter[]): Promise<void> {
    if (entries.length === 0) return;
    await this.queue.addBulk(
      entries.map((e) => ({
        name: e.error.code,
        data: e,
        opts: { jobId: `dl.${e.stage}.${e.ref}`.replaceAll(':', '.'), removeOnComplete: false, removeOnFail: false },
      })),
    );
    await this.counters.count(tally('otklik_dead_letters_total', entries, (e) => ({ stage: e.stage, code: e.error.code })));
  }

  async list(limit: number): Promise<DeadLetter[]> {
    const jobs = await this.queue.getWaiting(0, limit - 1);
    return jobs.map((j) => j.data as DeadLetter);
  }

  async count(): Promise<number> {
    return this.queue.getWaitingCount();
  }
}
