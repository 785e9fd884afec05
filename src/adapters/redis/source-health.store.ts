import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys.js';

export interface SourceHealth {
  sourceId: string;
  lastPollAt?: string;
  lastSuccessAt?: string;
  itemsSeen: number;
  itemsRejected: number;
  errors: Record<string, number>;
  lastError?: string;
  cursor?: unknown;
}

/** What each source did and did not see, so moderators know the engine's blind spots. */
export class SourceHealthStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async recordSuccess(sourceId: string, at: Date, seen: number, rejected: number): Promise<void> {
    const key = this.keys.sourceHealth(sourceId);
    await this.redis
      .multi()
      .hset(key, 'lastPollAt', at.toISOString(), 'lastSuccessAt', at.toISOString())
      .hincrby(key, 'itemsSeen', seen)
      .hincrby(key, 'itemsRejected', rejected)
      .exec();
  }

  async recordError(sourceId: string, at: Date, code: string, message: string): Promise<void> {
    const key = this.keys.sourceHealth(sourceId);
    await this.redis
      .multi()
      .hset(key, 'lastPollAt', at.toISOString(), 'lastError', `${code}: ${message}`.slice(0, 500))
      .hincrby(key, `error:${code}`, 1)
      .exec();
  }

  async get(sourceId: string): Promise<SourceHealth> {
    const [h, cursor] = await Promise.all([this.redis.hgetall(this.keys.sourceHealth(sourceId)), this.redis.get(this.keys.cursor(sourceId))]);
    const errors: Record<string, number> = {};
    for (const [k, v] of Object.entries(h)) if (k.startsWith('error:')) errors[k.slice(6)] = Number(v);
    return {
      sourceId,
      ...(h.lastPollAt ? { lastPollAt: h.lastPollAt } : {}),
      ...(h.lastSuccessAt ? { lastSuccessAt: h.lastSuccessAt } : {}),
      itemsSeen: Number(h.itemsSeen ?? 0),
      itemsRejected: Number(h.itemsRejected ?? 0),
      errors,
      ...(h.lastError ? { lastError: h.lastError } : {}),
      ...(cursor === null ? {} : { cursor: JSON.parse(cursor) as unknown }),
    };
  }
}
