import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys.js';

const LATENCY_SAMPLES = 100_000;

/** Pipeline counters and latency samples, kept in Redis so every process and /health see them. */
export class StatsStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async increment(field: string, by: number): Promise<void> {
    if (by !== 0) await this.redis.hincrby(this.keys.stats(), field, by);
  }

  async all(): Promise<Record<string, number>> {
    const h = await this.redis.hgetall(this.keys.stats());
    return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
  }

  /** Keeps the most recent samples (milliseconds) of a latency. */
  async recordLatencies(name: string, ms: readonly number[]): Promise<void> {
    if (ms.length === 0) return;
    const key = this.keys.latency(name);
    await this.redis
      .multi()
      .lpush(key, ...ms.map((m) => String(Math.round(m))))
      .ltrim(key, 0, LATENCY_SAMPLES - 1)
      .exec();
  }

  async latencies(name: string): Promise<number[]> {
    return (await this.redis.lrange(this.keys.latency(name), 0, -1)).map(Number);
  }
}
