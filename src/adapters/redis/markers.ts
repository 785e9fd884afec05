import type { Redis } from 'ioredis';
import type { Markers } from '../../ports/markers.js';

/** Markers as Redis strings under the engine's prefix: `<prefix>:<name>`. */
export class RedisMarkers implements Markers {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(name: string): Promise<string | undefined> {
    return (await this.redis.get(`${this.prefix}:${name}`)) ?? undefined;
  }

  async set(name: string, value: string, ttlSeconds?: number): Promise<void> {
    if (ttlSeconds === undefined) await this.redis.set(`${this.prefix}:${name}`, value);
    else await this.redis.set(`${this.prefix}:${name}`, value, 'EX', ttlSeconds);
  }

  async take(name: string): Promise<string | undefined> {
    return (await this.redis.getdel(`${this.prefix}:${name}`)) ?? undefined;
  }
}
