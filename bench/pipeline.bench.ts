import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/log.js';
import { startEngine } from '../src/roles/engine.js';
import { startPrivateRedis } from '../src/adapters/redis/redis-server.js';
import { RedisKeys } from '../src/adapters/redis/keys.js';
import { StatsStore } from '../src/adapters/redis/stats.store.js';
import { percentile } from '../src/core/numbers.js';
import { projectRoot } from '../src/paths.js';
import { scaledCorpus } from './corpus.js';

export interface PipelineFigures {
  pipeline_posts: number;
  pipeline_posts_per_s: number;
  capture_to_routed_p50_ms: number;
  capture_to_routed_p95_ms: number;
  peak_rss_mb: number;
  redis_peak_memory_mb: number;
}

/**
 * Replays the demo corpus (repeated `copies` times with distinct ids) through the whole pipeline in
 * one process on a private Redis, at full speed or at `ratePerS` posts a second (what users feel
 * is latency at a rate the engine keeps up with), and measures throughput and latency.
 */
export async function benchPipeline(copies: number, ratePerS = 0): Promise<PipelineFigures> {
  const corpus = scaledCorpus(join(projectRoot, 'connectors/replay/demo/corpus.jsonl'), copies);
  const dir = mkdtempSync(join(tmpdir(), 'otklik-bench-redis-'));
  const redisServer = await startPrivateRedis({ bin: 'redis-server', dataDir: dir, appendfsync: process.env.BENCH_APPENDFSYNC === 'always' ? 'always' : 'everysec' });
  const redis = new Redis(redisServer.url);
  const prefix = '{bench}';
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    REDIS_URL: redisServer.url,
    QUEUE_PREFIX: prefix,
    HTTP_PORT: '0',
    DEMO_CORPUS: corpus.path,
    DEMO_RATE_PER_S: String(ratePerS),
    POLL_INTERVAL_MS: '50',
    EMBEDDED_INDEX_PATH: join(dir, 'index.sqlite'),
    ...(process.env.BENCH_DUPLICATES === 'off' ? { DUPLICATE_WINDOW_DAYS: '0' } : {}),
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const keys = new RedisKeys(prefix);
  const started = performance.now();
  const engine = await startEngine({ config, log: createLogger(config) });
  try {
    const deadKey = `${prefix}:deadletter:wait`;
    let done = 0;
    let posts = 0;
    for (;;) {
      const [completed, dead] = await Promise.all([redis.hget(keys.stats(), 'posts_completed'), redis.llen(deadKey)]);
      posts = Number(completed ?? 0);
      done = posts + dead;
      if (done >= corpus.lines) break;
      await sleep(20);
    }
    const seconds = (performance.now() - started) / 1000;
    const latencies = await new StatsStore(redis, keys).latencies('capture_to_routed');
    const info = await redis.info('memory');
    const redisPeak = Number(/used_memory_peak:(\d+)/.exec(info)?.[1] ?? 0);
    return {
      pipeline_posts: posts,
      pipeline_posts_per_s: Math.round(posts / seconds),
      capture_to_routed_p50_ms: percentile(latencies, 0.5) ?? -1,
      capture_to_routed_p95_ms: percentile(latencies, 0.95) ?? -1,
      peak_rss_mb: Math.round(peakRss / 2 ** 20),
      redis_peak_memory_mb: Math.round(redisPeak / 2 ** 20),
    };
  } finally {
    clearInterval(sampler);
    await engine.stop();
    await redis.quit();
    await redisServer.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(corpus.path, { force: true });
  }
}
