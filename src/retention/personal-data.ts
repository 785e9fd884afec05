import type { Logger } from 'pino';
import type { Markers } from '../ports/markers.js';
import type { DeadLetters } from '../pipeline/dead-letter.js';
import type { SearchIndex } from '../ports/search-index.js';
import type { Counters } from '../ports/counters.js';

/** Up to when personal data has been purged (ISO time): the next sweep starts there. */
const WATERMARK = 'retention:personal-data';

export interface RetentionDeps {
  /** Days raw payloads and author details are kept after capture. */
  days: number;
  search: SearchIndex;
  deadLetters: DeadLetters;
  /** Where the watermark is kept: everything captured before it has been purged. */
  markers: Markers;
  counters: Counters;
  now: () => Date;
  log: Logger;
}

export interface SweepResult {
  /** Everything captured before this has lost its raw payload and author. */
  before: string;
  posts: number;
  deadLetters: number;
}

/**
 * The personal-data retention policy: N days after capture a post keeps its text, classification
 * and links, and loses the platform's raw payload and who wrote it, in the search index and in the
 * dead letters. Each sweep takes the window since the last one (the watermark in Redis), so a
 * document is touched once, not every hour.
 */
export class PersonalDataRetention {
  constructor(private readonly d: RetentionDeps) {}

  async sweep(): Promise<SweepResult> {
    const now = this.d.now();
    const before = new Date(now.getTime() - this.d.days * 86_400_000);
    const mark = await this.d.markers.get(WATERMARK);
    const from = mark === undefined ? undefined : new Date(mark);
    // A clock set back, or a longer retention configured since: nothing new to purge.
    const posts = from && from >= before ? 0 : await this.d.search.purgePersonalData({ ...(from ? { from } : {}), before });
    const deadLetters = await this.d.deadLetters.purgePersonalData(before, now);
    if (!from || before > from) await this.d.markers.set(WATERMARK, before.toISOString());
    await this.d.counters.count([
      { name: 'otklik_personal_data_purged_total', labels: { store: 'search' }, value: posts },
      { name: 'otklik_personal_data_purged_total', labels: { store: 'dead_letters' }, value: deadLetters },
    ]);
    return { before: before.toISOString(), posts, deadLetters };
  }

  private running: Promise<void> | undefined;

  /**
   * Sweeps now and then every `everyMs` while `leads()` holds, one sweep at a time; a failed sweep
   * leaves the watermark, so the next takes the same window. Returns a stop that waits for a sweep
   * in progress.
   */
  start(everyMs: number, leads: () => boolean): { sweepNow(): void; stop(): Promise<void> } {
    const run = () => {
      if (this.running || !leads()) return;
      this.running = this.sweep()
        .then((r) => this.d.log.info(r, `personal data older than ${this.d.days} days purged: ${r.posts} posts, ${r.deadLetters} dead letters`))
        .catch((e: unknown) => this.d.log.error({ err: (e as Error).message }, 'personal data retention sweep failed; retried at the next sweep'))
        .finally(() => (this.running = undefined));
    };
    const timer = setInterval(run, everyMs);
    timer.unref();
    return {
      sweepNow: run,
      stop: async () => {
        clearInterval(timer);
        await this.running;
      },
    };
  }
}
