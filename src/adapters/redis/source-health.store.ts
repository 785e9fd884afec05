import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys.js';
import type { SourceHealth, SourceHealthStore } from '../../ports/source-health.js';

/** What each source did and did not see, so moderators know the engine's blind spots. */
export class RedisSourceHealthStore implements SourceHealthStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Holds off polling a source until `until`, with the reason shown to operators. */
  async pause(sourceId: string, until: Date, reason: string): Promise<void> {
    await this.redis.hset(this.keys.sourceHealth(sourceId), 'pausedUntil', until.toISOString(), 'pauseReason', reason.slice(0, 500));
  }

  async pausedUntil(sourceId: string): Promise<Date | undefined> {
    const v = await this.redis.hget(this.keys.sourceHealth(sourceId), 'pausedUntil');
    return v ? new Date(v) : undefined;
  }

  async recordSuccess(sourceId: string, at: Date, seen: number, rejected: number): Promise<void> {
    const key = this.keys.sourceHealth(sourceId);
    await this.redis
      .multi()
      .hdel(key, 'pausedUntil', 'pauseReason')
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

  /** Records a blind spot the connector reported, so operators see what was not captured. */
  async recordNotice(sourceId: string, at: Date, text: string): Promise<void> {
    const key = this.keys.sourceHealth(sourceId);
    await this.redis.multi().hset(key, 'lastNoticeAt', at.toISOString(), 'lastNotice', text.slice(0, 500)).hincrby(key, 'notices', 1).exec();
  }

  async get(sourceId: string): Promise<SourceHealth> {
    const [h, cursor] = await Promise.all([this.redis.hgetall(this.keys.sourceHealth(sourceId)), this.redis.get(this.keys.cursor(sourceId))]);
    const errors: Record<string, number> = {};
    for (const [k, v] of Object.entries(h)) if (k.startsWith('error:')) errors[k.slice(6)] = Number(v);
    return {
      sourceId,
      ...(h.lastPollAt ? { lastPollAt: h.lastPollAt } : {}),
      ...(h.lastSuccessAt ? { lastSuccessAt: h.lastSuccessAt, lagSeconds: Math.max(0, Math.round((Date.now() - Date.parse(h.lastSuccessAt)) / 1000)) } : {}),
      itemsSeen: Number(h.itemsSeen ?? 0),
      itemsRejected: Number(h.itemsRejected ?? 0),
      errors,
      ...(h.lastError ? { lastError: h.lastError } : {}),
      ...(h.lastNotice ? { lastNotice: { at: h.lastNoticeAt ?? '', text: h.lastNotice } } : {}),
      notices: Number(h.notices ?? 0),
      ...(h.pausedUntil ? { paused: { until: h.pausedUntil, reason: h.pauseReason ?? '' } } : {}),
      ...(cursor === null ? {} : { cursor: JSON.parse(cursor) as unknown }),
    };
  }
}
