import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Redis connections as BullMQ's production guide asks, one kind per use:
 * - `workers`: workers block on Redis and must wait through an outage (maxRetriesPerRequest null);
 * - `requests`: everything a request waits on (the API's stores and its queue producers) fails fast
 *   when Redis is gone (no offline queue, one retry), so a request gets a 503 instead of hanging.
 */
export async function connectRedis(url: string, use: 'workers' | 'requests', log: Logger): Promise<Redis> {
  if (use === 'workers') {
    const redis = new Redis(url, { maxRetriesPerRequest: null });
    redis.on('error', (e) => log.warn({ err: e.message }, 'redis connection error'));
    return redis;
  }
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', (e) => log.warn({ err: e.message }, 'API redis connection error'));
  await redis.connect();
  return redis;
}

/**
 * Can this connection take a command now? The same test ioredis makes before it refuses one
 * (status ready and a writable socket): the socket stops being writable before the status changes.
 */
export function redisDown(redis: Redis): boolean {
  return redis.status !== 'ready' || !redis.stream.writable;
}

/** Shutdown steps, run last first (a second stop waits for the first instead of repeating it). */
export class Cleanups {
  private readonly steps: (() => Promise<void>)[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly log: Logger) {}

  push(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of [...this.steps].reverse()) await step().catch((e: unknown) => this.log.warn({ err: String(e) }, 'shutdown step failed'));
    })();
    return this.running;
  }
}
