import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys.js';
import type { Labels, TopicDecision } from '../../ports/labels.js';
import type { LabelledPost } from '../../core/classify/labelled-post.js';

/**
 * Moderators' decisions, appended to a capped Redis stream as they are made: the labelled data the
 * engine retrains its topic and problem models from (and npm run labels:export writes out).
 */
export class LabelStore implements Labels {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly maxLength = 200_000,
  ) {}

  async record(d: TopicDecision): Promise<void> {
    await this.redis.xadd(this.keys.labels(), 'MAXLEN', '~', String(this.maxLength), '*', 'decision', JSON.stringify(d));
  }

  /** How many decisions were ever recorded (the stream's entries, trimmed or not). */
  async count(): Promise<number> {
    const info = (await this.redis.xinfo('STREAM', this.keys.labels()).catch(() => undefined)) as unknown[] | undefined;
    if (!info) return 0;
    const i = info.indexOf('entries-added');
    return i >= 0 ? Number(info[i + 1]) : Number(info[info.indexOf('length') + 1] ?? 0);
  }

  /** The latest decision per incident, oldest first. */
  async latest(): Promise<TopicDecision[]> {
    const latest = new Map<string, TopicDecision>();
    let from = '-';
    for (;;) {
      const page = await this.redis.xrange(this.keys.labels(), from, '+', 'COUNT', 1000);
      for (const [, fields] of page) {
        const d = JSON.parse(fields[1] ?? '{}') as TopicDecision;
        latest.delete(d.incidentId);
        latest.set(d.incidentId, d);
      }
      if (page.length < 1000) break;
      from = `(${(page[page.length - 1] as [string, string[]])[0]}`;
    }
    return [...latest.values()];
  }

  /** The latest decision per incident, oldest first, as labelled posts (a rejection as noise says `problem: false`). */
  async export(): Promise<LabelledPost[]> {
    return (await this.latest()).map((d) => ({
      text: d.text,
      topic: d.topic,
      ...(d.subtopic ? { subtopic: d.subtopic } : {}),
      ...(d.problem === false ? { problem: false } : {}),
      ...(d.body ? { body: d.body } : {}),
      ...(d.territory ? { territory: d.territory } : {}),
      origin: `moderator:${d.by}`,
    }));
  }
}
