import { Redis } from 'ioredis';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/log.js';
import { RedisKeys } from '../../src/adapters/redis/keys.js';
import { DEAD_LETTER_QUEUE } from '../../src/pipeline/queues.js';

/** Engine config for tests: a given Redis and prefix, full-speed replay, no HTTP port clash. */
export function testConfig(over: Record<string, string>): Config {
  // Each engine gets its own embedded index file: tests never share one, nor touch ./data.
  const index = join(mkdtempSync(join(tmpdir(), 'otklik-index-')), 'index.sqlite');
  // Demo accounts cost a slow hash each: only the tests that sign in ask for them. Webhook receivers
  // in tests listen on loopback, which the engine refuses unless allowed (a test checks the refusal).
  return loadConfig({ LOG_LEVEL: 'silent', NOTIFY_ALLOW_INTERNAL_TARGETS: 'true', DEMO_USERS: 'off', HTTP_PORT: '0', POLL_INTERVAL_MS: '100', DEMO_RATE_PER_S: '0', PIPELINE_BACKOFF_MS: '50', EMBEDDED_INDEX_PATH: index, ...over });
}

export const silentLog = createLogger({ LOG_LEVEL: 'silent' });

export interface PipelineCounts {
  admitted: number;
  completed: number;
  /** Alert posts accounted for: each opened an incident or was attached to one as a near-copy. */
  alertPosts: number;
  deadLetters: number;
}

export async function pipelineCounts(redis: Redis, prefix: string): Promise<PipelineCounts> {
  const keys = new RedisKeys(prefix);
  const stats = await redis.hgetall(keys.stats());
  const dead = await redis.llen(`${prefix}:${DEAD_LETTER_QUEUE}:wait`);
  // Attachments are counted from the audit stream, which gets each committed transition once.
  let attached = 0;
  for (const [, fields] of await redis.xrange(keys.eventStream(), '-', '+')) {
    if (!(fields[3] ?? '').includes('"action":"attach_duplicate"')) continue;
    attached += ((JSON.parse(fields[3] ?? '{}') as { details?: { postIds?: string[] } }).details?.postIds ?? []).length;
  }
  return {
    admitted: Number(stats.posts_admitted ?? 0),
    completed: Number(stats.posts_completed ?? 0),
    alertPosts: Number(stats.incidents_opened ?? 0) + attached,
    deadLetters: dead,
  };
}

/** Waits until `done` holds for the counts, or fails with the last counts seen. */
export async function waitForCounts(redis: Redis, prefix: string, done: (c: PipelineCounts) => boolean, timeoutMs = 45_000): Promise<PipelineCounts> {
  const until = Date.now() + timeoutMs;
  let last = await pipelineCounts(redis, prefix);
  while (!done(last)) {
    if (Date.now() > until) throw new Error(`pipeline did not settle: ${JSON.stringify(last)}`);
    await sleep(100);
    last = await pipelineCounts(redis, prefix);
  }
  return last;
}
