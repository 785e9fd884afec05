import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys.js';
import type { PostContexts } from '../../ports/post-contexts.js';
import type { ParentContext } from '../../core/classify/classifier.js';

/**
 * What the engine made of recent posts, for the comments that answer them in later batches: the
 * topic and whether the post reports a problem, a few bytes per topical post, kept for `ttlSeconds`.
 */
export class PostContextStore implements PostContexts {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly ttlSeconds: number,
  ) {}

  async remember(entries: readonly ({ id: string } & ParentContext)[]): Promise<void> {
    if (entries.length === 0) return;
    const tx = this.redis.multi();
    for (const e of entries) tx.set(this.keys.postContext(e.id), `${e.problem ? 1 : 0}${e.topic}`, 'EX', this.ttlSeconds);
    await tx.exec();
  }

  async recall(ids: readonly string[]): Promise<Map<string, ParentContext>> {
    const out = new Map<string, ParentContext>();
    if (ids.length === 0) return out;
    const values = await this.redis.mget(ids.map((id) => this.keys.postContext(id)));
    values.forEach((v, i) => {
      if (v) out.set(ids[i] as string, { problem: v[0] === '1', topic: v.slice(1) });
    });
    return out;
  }
}
