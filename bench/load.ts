/**
 * `npm run bench:load [-- --posts-per-day 1000000 --speed 10 --start 18 --hours 2 --sources 20]`:
 * a large region's day (or a window of it) replayed at `speed`× through the whole engine, run as
 * its own process (`ENGINE_ROLE=all`: API, workers, scheduler) on a private Redis and the embedded
 * index. A generator plays the platforms: it appends posts to one growing replay file per
 * community at the rate the hour of day calls for; the engine polls them as it would poll VK.
 * About 3 % of new posts are drawn from actionable texts and 8 % of posts repeat a recent one
 * (reposts): both adjustable. Reports throughput, capture→routed and capture→alert latency (p50/p95/p99, from every post in
 * the index), publish→alert, the engine's peak memory and CPU, Redis memory and operations.
 * Human-readable lines first; the last line is one JSON object.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { startPrivateRedis } from '../src/adapters/redis/redis-server.js';
import { RedisKeys } from '../src/adapters/redis/keys.js';
import { percentile } from '../src/core/numbers.js';
import { projectRoot } from '../src/paths.js';
import { parseReplayLine } from '../connectors/replay/replay-line.js';
import { loadClassifier } from '../src/roles/rules.js';
import { loadConfig } from '../src/config/config.js';
import { machine } from './machine.js';
// The same way the fault tests start the engine as its own process.
import { spawnEngine } from '../test/helpers/process.js';

/**
 * Share of a day's posts in each hour (local time): quiet at night, a morning rise, the evening
 * peak at 20–22 h. The shape of public community traffic; the exact figures are ours.
 */
const HOURLY = [2.2, 1.4, 0.9, 0.7, 0.7, 1.0, 2.0, 3.4, 4.6, 5.0, 5.1, 5.2, 5.3, 5.2, 5.1, 5.1, 5.3, 5.6, 6.0, 6.5, 6.9, 6.7, 5.3, 3.7];
const HOURLY_SUM = HOURLY.reduce((a, b) => a + b, 0);

const { values: args } = parseArgs({
  options: {
    'posts-per-day': { type: 'string', default: '1000000' },
    speed: { type: 'string', default: '10' },
    start: { type: 'string', default: '18' },
    hours: { type: 'string', default: '2' },
    sources: { type: 'string', default: '20' },
    'repost-share': { type: 'string', default: '0.08' },
    'actionable-share': { type: 'string', default: '0.03' },
  },
});
const perDay = Number(args['posts-per-day']);
const speed = Number(args.speed);
const startHour = Number(args.start);
const hours = Number(args.hours);
const sourceCount = Number(args.sources);
const repostShare = Number(args['repost-share']);
const actionableShare = Number(args['actionable-share']);

/** Posts per wall-clock second the generator offers at a moment `s` seconds into the run. */
function offeredRate(s: number): number {
  const hour = Math.floor(startHour + (s * speed) / 3600) % 24;
  return ((perDay * (HOURLY[hour] ?? 0)) / HOURLY_SUM / 3600) * speed;
}

/**
 * The demo corpus's texts, split by whether the engine's classifier makes them alerts: the
 * generator draws new posts from the actionable ones at `actionable-share` and from the rest
 * otherwise (a region's stream is mostly news, chatter and ads).
 */
function textPools(): { actionable: string[]; other: string[] } {
  const classifier = loadClassifier(loadConfig({}));
  const lines = readFileSync(join(projectRoot, 'connectors/replay/demo/corpus.jsonl'), 'utf8').split('\n');
  const ctx = { sourceId: 'x', capturedAt: new Date().toISOString() };
  const out = { actionable: [] as string[], other: [] as string[] };
  lines.forEach((l, i) => {
    try {
      const p = parseReplayLine(l, 'demo', i + 1, ctx);
      if (!p || p.text.length < 20) return;
      (classifier.classify(p.text).alert ? out.actionable : out.other).push(p.text);
    } catch {
      // the demo's deliberately broken lines
    }
  });
  return out;
}

/** Deterministic pseudo-random numbers, so runs offer the same stream. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const STREETS = ['Ленина', 'Садовой', 'Мира', 'Гагарина', 'Советской', 'Лесной', 'Школьной', 'Победы', 'Кирова', 'Пушкина'];

async function main(): Promise<void> {
  const m = machine();
  const dir = mkdtempSync(join(tmpdir(), 'otklik-load-'));
  const redisServer = await startPrivateRedis({ bin: 'redis-server', dataDir: join(dir, 'redis'), appendfsync: 'everysec' });
  const redis = new Redis(redisServer.url);
  const prefix = '{load}';
  const keys = new RedisKeys(prefix);
  const files = Array.from({ length: sourceCount }, (_, i) => join(dir, `community-${i}.jsonl`));
  for (const f of files) writeFileSync(f, '');
  const sourcesFile = join(dir, 'sources.json');
  writeFileSync(
    sourcesFile,
    JSON.stringify({ sources: files.map((file, i) => ({ id: `community-${i}`, type: 'replay', territory: 'г. Энск', pollIntervalMs: 1000, options: { file, ratePerSecond: 0 } })) }),
  );
  const index = join(dir, 'index.sqlite');
  const engine = spawnEngine({ LOG_LEVEL: 'warn', ENGINE_ROLE: 'all', REDIS_URL: redisServer.url, QUEUE_PREFIX: prefix, SOURCES_FILE: sourcesFile, EMBEDDED_INDEX_PATH: index, HTTP_PORT: '0', DEMO_USERS: 'off' });
  // Warnings and errors of the engine are shown when it ends.
  void engine.exited.then(() => process.stderr.write(engine.stderrText()));

  const pools = textPools();
  const random = rng(20261122);
  const pick = (xs: string[]) => xs[Math.floor(random() * xs.length)] as string;
  const recent: string[] = [];
  let offered = 0;
  let reposts = 0;
  const nextText = (): string => {
    if (recent.length > 50 && random() < repostShare) {
      reposts++;
      return recent[Math.floor(random() * recent.length)] as string;
    }
    // A new post: a citizen's text with a sentence of another's, and a street and house of its own.
    const pool = random() < actionableShare ? pools.actionable : pools.other;
    const a = pick(pool);
    const b = pick(pool);
    const text = `${a} ${b.split(/(?<=[.!?])\s+/)[0] ?? ''} ул. ${pick(STREETS)}, ${1 + Math.floor(random() * 120)}`;
    recent.push(text);
    if (recent.length > 500) recent.shift();
    return text;
  };

  const startedAt = Date.now();
  const durationS = (hours * 3600) / speed;
  let peakRedisOps = 0;
  let peakRedisMemory = 0;
  let peakBacklog = 0;
  const cmdsAt = async () => Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1] ?? 0);
  const commandsBefore = await cmdsAt();
  process.stdout.write(`machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GiB, Node ${m.node}, ${m.os}\n`);
  process.stdout.write(
    `load: ${perDay} posts/day region, hours ${startHour}:00–${(startHour + hours) % 24}:00 at ${speed}× (${Math.round(durationS)} s), ${sourceCount} communities, ${Math.round(repostShare * 100)} % reposts, ${Math.round(actionableShare * 100)} % of new posts actionable\n`,
  );

  // The platforms: every 100 ms, each community gets its share of what the hour calls for.
  let carry = 0;
  let id = 0;
  let lastReport = Date.now();
  while ((Date.now() - startedAt) / 1000 < durationS) {
    const s = (Date.now() - startedAt) / 1000;
    carry += offeredRate(s) / 10;
    const n = Math.floor(carry);
    carry -= n;
    const byFile = new Map<number, string[]>();
    const date = Math.floor(Date.now() / 1000);
    for (let k = 0; k < n; k++) {
      id++;
      const f = Math.floor(random() * sourceCount);
      const line = JSON.stringify({ platform: 'vk', kind: 'post', item: { id, owner_id: -(1000 + f), from_id: 100_000 + Math.floor(random() * 900_000), date, text: nextText() } });
      byFile.set(f, [...(byFile.get(f) ?? []), line]);
    }
    for (const [f, lines] of byFile) appendFileSync(files[f] as string, lines.join('\n') + '\n');
    offered += n;
    if (Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      const info = await redis.info();
      peakRedisOps = Math.max(peakRedisOps, Number(/instantaneous_ops_per_sec:(\d+)/.exec(info)?.[1] ?? 0));
      peakRedisMemory = Math.max(peakRedisMemory, Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0));
      const completed = Number((await redis.hget(keys.stats(), 'posts_completed')) ?? 0);
      peakBacklog = Math.max(peakBacklog, offered - completed);
      process.stdout.write(`  ${Math.round(s)} s: offered ${offered}, completed ${completed}, behind ${offered - completed}\n`);
    }
    await sleep(100);
  }
  const generatedS = (Date.now() - startedAt) / 1000;

  // Drain: wait until the engine has completed everything offered.
  let completed = 0;
  for (;;) {
    completed = Number((await redis.hget(keys.stats(), 'posts_completed')) ?? 0);
    if (completed >= offered) break;
    if ((Date.now() - startedAt) / 1000 > durationS + 600) throw new Error(`engine did not catch up: ${completed} of ${offered}`);
    await sleep(200);
  }
  const totalS = (Date.now() - startedAt) / 1000;
  const commands = (await cmdsAt()) - commandsBefore;
  const memInfo = await redis.info('memory');
  peakRedisMemory = Math.max(peakRedisMemory, Number(/used_memory_peak:(\d+)/.exec(memInfo)?.[1] ?? 0));
  const status = readFileSync(`/proc/${engine.pid}/status`, 'utf8');
  const peakRssMb = Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  const stat = readFileSync(`/proc/${engine.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const cpuS = (Number(stat[11]) + Number(stat[12])) / 100;
  const incidents = Number((await redis.hget(keys.stats(), 'incidents_opened')) ?? 0);
  engine.kill('SIGTERM');
  await engine.exited;

  // Latency of every post, from the index: capture → routed, and for alerts publish → routed.
  const db = new Database(index, { readonly: true });
  const rows = db.prepare("SELECT alert, created_at AS created, captured_at AS captured, json_extract(doc, '$.routedAt') AS routed FROM posts").all() as {
    alert: number;
    created: number;
    captured: number;
    routed: string;
  }[];
  db.close();
  const captureToRouted = rows.map((r) => Date.parse(r.routed) - r.captured).sort((a, b) => a - b);
  const alerts = rows.filter((r) => r.alert === 1);
  const captureToAlert = alerts.map((r) => Date.parse(r.routed) - r.captured).sort((a, b) => a - b);
  // Publication times have second resolution: this one is good to a second.
  const publishToAlert = alerts.map((r) => Date.parse(r.routed) - r.created).sort((a, b) => a - b);
  const q = (xs: number[], p: number) => percentile(xs, p) ?? -1;

  const figures = {
    load_posts_per_day: perDay,
    load_speed: speed,
    load_window_hours: hours,
    load_posts_offered: offered,
    load_posts_completed: completed,
    load_reposts_offered: reposts,
    load_alerts: alerts.length,
    load_incidents_opened: incidents,
    load_generate_s: Math.round(generatedS),
    load_drain_s: Math.round(totalS - generatedS),
    load_posts_per_s: Math.round(completed / totalS),
    load_peak_offered_posts_per_s: Math.round(Math.max(...Array.from({ length: Math.ceil(hours) }, (_, h) => offeredRate((h * 3600) / speed)))),
    load_peak_behind_posts: peakBacklog,
    load_capture_to_routed_p50_ms: q(captureToRouted, 0.5),
    load_capture_to_routed_p95_ms: q(captureToRouted, 0.95),
    load_capture_to_routed_p99_ms: q(captureToRouted, 0.99),
    load_capture_to_alert_p50_ms: q(captureToAlert, 0.5),
    load_capture_to_alert_p95_ms: q(captureToAlert, 0.95),
    load_capture_to_alert_p99_ms: q(captureToAlert, 0.99),
    load_publish_to_alert_p50_ms: q(publishToAlert, 0.5),
    load_publish_to_alert_p95_ms: q(publishToAlert, 0.95),
    load_publish_to_alert_p99_ms: q(publishToAlert, 0.99),
    load_engine_peak_rss_mb: peakRssMb,
    load_engine_cpu_cores: Math.round((cpuS / totalS) * 100) / 100,
    load_redis_peak_memory_mb: Math.round(peakRedisMemory / 2 ** 20),
    load_redis_ops_per_s: Math.round(commands / totalS),
    load_redis_peak_ops_per_s: peakRedisOps,
  };
  process.stdout.write(
    `  offered ${offered} posts (${reposts} reposts) in ${figures.load_generate_s} s, peak ${figures.load_peak_offered_posts_per_s}/s; all completed ${figures.load_drain_s} s after the last; ${figures.load_posts_per_s} posts/s overall\n` +
      `  capture→routed p50 ${figures.load_capture_to_routed_p50_ms} ms, p95 ${figures.load_capture_to_routed_p95_ms} ms, p99 ${figures.load_capture_to_routed_p99_ms} ms\n` +
      `  capture→alert (${alerts.length} alerts, ${incidents} incidents) p50 ${figures.load_capture_to_alert_p50_ms} ms, p95 ${figures.load_capture_to_alert_p95_ms} ms, p99 ${figures.load_capture_to_alert_p99_ms} ms; publish→alert p50 ${figures.load_publish_to_alert_p50_ms} ms, p99 ${figures.load_publish_to_alert_p99_ms} ms\n` +
      `  engine peak RSS ${peakRssMb} MB, ${figures.load_engine_cpu_cores} cores busy on average; Redis peak ${figures.load_redis_peak_memory_mb} MB, ${figures.load_redis_ops_per_s} commands/s (peak ${peakRedisOps}/s)\n`,
  );
  process.stdout.write(JSON.stringify({ machine: m, ...figures }) + '\n');
  await redis.quit();
  await redisServer.stop();
  rmSync(dir, { recursive: true, force: true });
}

await main();
