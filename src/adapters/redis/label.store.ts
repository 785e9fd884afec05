import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys.js';
import type { LabelledPost } from '../../training/examples.js';

/** One moderator's topic decision on an incident. */
export interface TopicDecision {
  incidentId: string;
  text: string;
  topic: string;
  subtopic?: string;
  /** accept (the proposed topic confirmed, or changed on accepting) or reclassify. */
  action: string;
  by: string;
  at: string;
}

/**
 * Moderators' topic decisions, appended to a capped Redis stream as they are made: the labelled
 * data the topic model retrains from (npm run labels:export, then npm run train -- --labels).
 */
export class LabelStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly maxLength = 200_000,
  ) {}

  async record(d: TopicDecision): Promise<void> {
    await this.redis.xadd(this.keys.labels(), 'MAXLEN', '~', String(this.maxLength), '*', 'decision', JSON.stringify(d));
  }

  /** The latest decision per incident, oldest first, as labelled posts. */
  async export(): Promise<LabelledPost[]> {
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
    return [...latest.values()].map((d) => ({ text: d.text, topic: d.topic, ...(d.subtopic ? { subtopic: d.subtopic } : {}), origin: `moderator:${d.by}` }));
  }
}
