import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { RedisKeys } from '../adapters/redis/keys.js';
import { CursorStore } from '../adapters/redis/cursor.store.js';
import { Ledger } from '../adapters/redis/ledger.js';
import { RedisLocks } from '../adapters/redis/locks.js';
import { RedisModelRegistry } from '../adapters/redis/model-registry.js';
import { NearDuplicateIndex } from '../adapters/redis/near-duplicate.index.js';
import { PostContextStore } from '../adapters/redis/post-context.store.js';
import { RouteTableStore } from '../adapters/redis/route-table.store.js';
import type { StatsStore } from '../adapters/redis/stats.store.js';
import { IncidentIntake } from '../incidents/intake.js';
import { LiveClassifier } from '../learning/live-classifier.js';
import { createAnalyzeProcessor } from '../pipeline/analyze.processor.js';
import type { DeadLetters } from '../pipeline/dead-letter.js';
import { createIndexProcessor } from '../pipeline/index.processor.js';
import type { PollJob } from '../pipeline/payloads.js';
import { PollRunner, type ScheduledSource } from '../pipeline/poll-runner.js';
import type { PipelineQueues } from '../pipeline/queues.js';
import { createRouteProcessor } from '../pipeline/route.processor.js';
import type { SourceHealthStore } from '../ports/source-health.js';
import type { SearchIndex } from '../ports/search-index.js';
import { LiveRouter } from '../routing/live-router.js';
import { RepeatFinder } from '../incidents/repeat-finder.js';
import { ReactionRecorder } from '../incidents/reactions.js';
import type { IncidentWiring } from './incidents.js';
import type { Cleanups } from './redis.js';
import type { LoadedRules } from './rules.js';

/** What the worker and the scheduler are both handed: the engine's Redis side, its files, its search backend. */
export interface BackgroundRoleDeps {
  config: Config;
  log: Logger;
  now: () => Date;
  /** The background roles' connection (waits through a Redis outage). */
  redis: Redis;
  keys: RedisKeys;
  queues: PipelineQueues;
  deadLetters: DeadLetters;
  stats: StatsStore;
  search: SearchIndex;
  rules: LoadedRules;
  sources: ReadonlyMap<string, ScheduledSource>;
  cleanups: Cleanups;
}

export interface WorkerRoleDeps extends BackgroundRoleDeps {
  sourceHealth: SourceHealthStore;
  /** The incident side on the same connection, with its timer and notification workers. */
  incidents: IncidentWiring;
}

/**
 * The worker role: the pipeline's stages (poll, analyze, route, index) and the incident side's
 * timers and notifications, as BullMQ workers. On shutdown the workers close first: jobs in flight
 * finish, and pollers stop between pages.
 */
export function startWorkers(d: WorkerRoleDeps): void {
  const { config, log, redis, keys, queues, deadLetters, stats, search, now } = d;
  let stopping = false;
  // The shipped models, or those retrained from moderators' decisions once promoted: no restart.
  const registry = new RedisModelRegistry(redis, keys);
  const classifier = new LiveClassifier(d.rules.classifier, registry);
  // The same for the learned router, with the route table admins set at run time.
  const router = new LiveRouter(d.rules.router, new RouteTableStore(redis, keys), registry);
  const ttl = config.LEDGER_TTL_DAYS * 86_400;
  const intake = new IncidentIntake({
    incidents: d.incidents.service,
    ...(config.DUPLICATE_WINDOW_DAYS > 0 ? { duplicates: { index: new NearDuplicateIndex(redis, keys, config.DUPLICATE_WINDOW_DAYS * 86_400), minSimilarity: config.DUPLICATE_MIN_SIMILARITY } } : {}),
    ...(config.REPEAT_WINDOW_DAYS > 0
      ? { repeats: { policy: config.REPEAT_POLICY, finder: new RepeatFinder({ store: d.incidents.store, contains: (o, i) => d.rules.territories.contains(o, i), windowDays: config.REPEAT_WINDOW_DAYS, now }) } }
      : {}),
  });
  const analyze = createAnalyzeProcessor({ log, queues, deadLetters, classifier, admitted: new Ledger(redis, keys, 'posts_admitted', ttl), counters: stats, stats, now, postContexts: new PostContextStore(redis, keys, config.COMMENT_CONTEXT_DAYS * 86_400), everyPostSources: new Set([...d.sources].filter(([, s]) => s.alerts?.everyPost).map(([id]) => id)) });
  const reactions = new ReactionRecorder({ incidents: d.incidents.service, store: d.incidents.store, windowDays: config.REACTION_WINDOW_DAYS });
  const route = createRouteProcessor({ log, queues, deadLetters, router, intake, stats, now, reactions });
  const index = createIndexProcessor({ log, queues, deadLetters, search, completed: new Ledger(redis, keys, 'posts_completed', ttl), counters: stats, outageHoldMs: config.SEARCH_OUTAGE_HOLD_MS });
  const pollRunner = new PollRunner({
    limits: { batchSize: config.PIPELINE_BATCH_SIZE, maxBacklog: config.PIPELINE_MAX_BACKLOG },
    log: log.child({ component: 'poll' }),
    locks: new RedisLocks(redis, config.QUEUE_PREFIX),
    sources: d.sources,
    cursors: new CursorStore(redis, keys),
    health: d.sourceHealth,
    queues,
    deadLetters,
    now,
    stopping: () => stopping,
  });
  const workerOpts = { connection: redis, prefix: config.QUEUE_PREFIX, lockDuration: config.PIPELINE_LOCK_MS, stalledInterval: config.PIPELINE_LOCK_MS, maxStalledCount: 3 };
  const workers = [
    new Worker('poll', (job: Job<PollJob>) => pollRunner.run(job.data.sourceId), { ...workerOpts, concurrency: Math.max(1, d.sources.size) }),
    new Worker('analyze', analyze, { ...workerOpts, concurrency: config.PIPELINE_CONCURRENCY }),
    new Worker('route', route, { ...workerOpts, concurrency: config.PIPELINE_CONCURRENCY }),
    new Worker('index', index, { ...workerOpts, concurrency: config.PIPELINE_CONCURRENCY }),
    ...d.incidents.workers,
  ];
  for (const w of workers) w.on('error', (e) => log.error({ worker: w.name, err: e.message }, 'worker error'));
  // Workers close first on shutdown (cleanups run in reverse): in-flight jobs finish.
  d.cleanups.push(async () => {
    stopping = true;
    await Promise.all(workers.map((w) => w.close()));
    log.info('workers drained');
  });
  log.info({ concurrency: config.PIPELINE_CONCURRENCY, batch: config.PIPELINE_BATCH_SIZE }, 'pipeline workers started');
}
