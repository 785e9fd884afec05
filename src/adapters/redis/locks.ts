import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { HeldLock, Locks } from '../../ports/locks.js';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Locks as Redis keys (`<prefix>:lock:<name>`, SET NX PX with a random token): released only by
 * their holder, and lapsing on their own if the holder dies.
 */
export class RedisLocks implements Locks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async acquire(name: string, ttlMs: number): Promise<HeldLock | undefined> {
    const key = `${this.prefix}:lock:${name}`;
    const token = randomUUID();
    if ((await this.redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
    return {
      release: async () => {
        await this.redis.eval(RELEASE, 1, key, token);
      },
    };
  }
}
