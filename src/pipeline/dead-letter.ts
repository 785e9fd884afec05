import type { Queue } from 'bullmq';
import type { OtklikError } from '../core/errors.js';
import { tally } from '../core/metrics.js';
import { noCounters, type Counters } from '../ports/counters.js';
import { isRecord } from '../core/records.js';
import { toJobIdPart } from '../core/post.js';

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
  /** Set when the retention policy removed personal data from the payload. */
  purgedAt?: string;
}


function withoutAuthorAndRaw(v: Record<string, unknown>): Record<string, unknown> {
  const { raw: _raw, ...rest } = v;
  return 'author' in rest ? { ...rest, author: null } : rest;
}

/**
 * A dead letter's payload as the retention policy leaves it. What the poll stage keeps is the
 * platform's own payload (or a post built from it): nothing of it is kept. Later stages keep a
 * post, or a post with its classification: the post loses its author and raw payload, the text
 * and the reason stay, so the letter can still be understood and re-submitted.
 */
export function purgedPayload(letter: Pick<DeadLetter, 'stage' | 'payload'>): unknown {
  const p = letter.payload;
  if (letter.stage === 'poll') return null;
  if (!isRecord(p)) return p;
  if (isRecord(p.post)) return { ...p, post: withoutAuthorAndRaw(p.post) };
  return withoutAuthorAndRaw(p);
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
        opts: { jobId: toJobIdPart(`dl.${e.stage}.${e.ref}`), removeOnComplete: false, removeOnFail: false },
      })),
    );
    await this.counters.count(tally('otklik_dead_letters_total', entries, (e) => ({ stage: e.stage, code: e.error.code })));
  }

  async list(limit: number): Promise<DeadLetter[]> {
    const jobs = await this.queue.getWaiting(0, limit - 1);
    return jobs.map((j) => j.data as DeadLetter);
  }

  /** Removes personal data from the payloads of letters set aside before `before`; returns how many changed. */
  async purgePersonalData(before: Date, now: Date): Promise<number> {
    let changed = 0;
    const page = 500;
    for (let start = 0; ; start += page) {
      const jobs = await this.queue.getWaiting(start, start + page - 1);
      for (const job of jobs) {
        const letter = job.data as DeadLetter;
        if (letter.purgedAt !== undefined || !(Date.parse(letter.at) < before.getTime())) continue;
        await job.updateData({ ...letter, payload: purgedPayload(letter), purgedAt: now.toISOString() });
        changed++;
      }
      if (jobs.length < page) return changed;
    }
  }

  async count(): Promise<number> {
    return this.queue.getWaitingCount();
  }
}
