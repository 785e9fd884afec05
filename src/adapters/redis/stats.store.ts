import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys.js';
import type { Stats } from '../../ports/stats.js';
import type { CounterSample } from '../../ports/counters.js';

const LATENCY_SAMPLES = 100_000;

/** Pipeline counters, labelled metric counters and latency samples, kept in Redis so every process and /health see them. */
export class StatsStore implements Stats {
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

  /** Labelled counters for /metrics: one hash field per name and label set. */
  async count(samples: readonly CounterSample[]): Promise<void> {
    const live = samples.filter((s) => s.value !== 0);
    if (live.length === 0) return;
    const m = this.redis.multi();
    for (const s of live) m.hincrby(this.keys.metrics(), JSON.stringify([s.name, s.labels]), s.value);
    await m.exec();
  }

  async counters(): Promise<CounterSample[]> {
    const h = await this.redis.hgetall(this.keys.metrics());
    const out: CounterSample[] = [];
    for (const [field, v] of Object.entries(h)) {
      try {
        const [name, labels] = JSON.parse(field) as [string, Record<string, string>];
        if (typeof name === 'string' && labels && typeof labels === 'object') out.push({ name, labels, value: Number(v) });
      } catch {
        // A field this engine did not write: not ours to render.
      }
    }
    return out;
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

  /** The most recent samples, newest first (all that are kept unless `limit` says fewer). */
  async latencies(name: string, limit = LATENCY_SAMPLES): Promise<number[]> {
    return (await this.redis.lrange(this.keys.latency(name), 0, limit - 1)).map(Number);
  }
}
