import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Redis, type RedisOptions } from 'ioredis';
import { startPrivateRedis, type PrivateRedis } from '../../src/adapters/redis/redis-server.js';

/** A private redis-server for one test file: its own port and data directory, removed after. */
export async function startTestRedis(appendfsync: 'always' | 'everysec' = 'everysec'): Promise<PrivateRedis & { cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'otklik-redis-'));
  const redis = await startPrivateRedis({ bin: 'redis-server', dataDir: dir, appendfsync });
  return {
    ...redis,
    cleanup: async () => {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A fresh queue/key prefix per test, so tests sharing a Redis never see each other's jobs. */
export function freshPrefix(): string {
  counter += 1;
  return `{t${process.pid}x${counter}x${Date.now().toString(36)}}`;
}

/**
 * Registers hooks that give a test file its own redis-server and a client, torn down after.
 * Read `ctx.server` / `ctx.redis` inside tests (they are set by beforeAll).
 */
export function useTestRedis(clientOptions: RedisOptions = {}): { server: Awaited<ReturnType<typeof startTestRedis>>; redis: Redis } {
  const ctx = {} as { server: Awaited<ReturnType<typeof startTestRedis>>; redis: Redis };
  beforeAll(async () => {
    ctx.server = await startTestRedis();
    ctx.redis = new Redis(ctx.server.url, clientOptions);
  });
  afterAll(async () => {
    await ctx.redis.quit();
    await ctx.server.cleanup();
  });
  return ctx;
}
