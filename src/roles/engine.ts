import { NearDuplicateIndex } from '../adapters/redis/near-duplicate.index.js';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { redactUrl, type Config } from '../config/config.js';
import { OtklikError } from '../core/errors.js';
import { RedisKeys } from '../adapters/redis/keys.js';
import { Ledger } from '../adapters/redis/ledger.js';
import { CursorStore } from '../adapters/redis/cursor.store.js';
import { RedisSourceHealthStore } from '../adapters/redis/source-health.store.js';
import { StatsStore } from '../adapters/redis/stats.store.js';
import { startPrivateRedis, type PrivateRedis } from '../adapters/redis/redis-server.js';
import { UnconfiguredSearchIndex } from '../adapters/search/unconfigured.search-index.js';
import { EmbeddedSearchIndex } from '../adapters/search/embedded.search-index.js';
import { ElasticsearchSearchIndex } from '../adapters/search/elasticsearch/elasticsearch.search-index.js';
import type { SearchIndex } from '../ports/search-index.js';
import { PipelineQueues } from '../pipeline/queues.js';
import { DeadLetters } from '../pipeline/dead-letter.js';
import { PollRunner } from '../pipeline/poll-runner.js';
import { createAnalyzeProcessor } from '../pipeline/analyze.processor.js';
import { createRouteProcessor } from '../pipeline/route.processor.js';
import { createIndexProcessor } from '../pipeline/index.processor.js';
import { IncidentIntake } from '../incidents/intake.js';
import { stageJobOptions } from '../pipeline/queues.js';
import type { PollJob } from '../pipeline/payloads.js';
import { buildApp } from '../api/app.js';
import { isLoopback } from '../api/auth.js';
import { healthReport } from '../api/health.js';
import { resolveProjectPath } from '../paths.js';
import { RedisUserStore } from '../adapters/redis/user.store.js';
import { RouteTableStore } from '../adapters/redis/route-table.store.js';
import { RedisNotifyTargetStore } from '../adapters/redis/notify-target.store.js';
import { LiveRouter } from '../routing/live-router.js';
import { LiveClassifier } from '../learning/live-classifier.js';
import { ModelRetrainer, requestRetraining } from '../learning/model-retrainer.js';
import { modelsStatus } from '../learning/models-status.js';
import { RedisModelRegistry } from '../adapters/redis/model-registry.js';
import { LabelStore } from '../adapters/redis/label.store.js';
import { PostContextStore } from '../adapters/redis/post-context.store.js';
import { PersonalDataRetention } from '../retention/personal-data.js';
import { LeaderLock } from '../adapters/redis/leader-lock.js';
import { RedisMarkers } from '../adapters/redis/markers.js';
import { RedisLocks } from '../adapters/redis/locks.js';
import { hostname } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { AccessPolicy } from '../core/access/access-policy.js';
import { IncidentListing } from '../incidents/incident-listing.js';
import { bootstrapUsers } from './users.js';
import { loadSources } from './sources.js';
import { DeferredBotUpdateHub } from '../connector/bot-update-hub.js';
import { RedisBotUpdateHub } from '../adapters/redis/bot-update-hub.store.js';
import { loadRules } from './rules.js';
import { wireIncidents } from './incidents.js';
import type { IncidentService } from '../incidents/incident.service.js';
import type { AnswerPublisher } from '../ports/answer-publisher.js';
import { ConnectorAnswerPublisher } from '../incidents/connector-answer-publisher.js';
import type { Dispatcher } from 'undici';

export interface EngineOptions {
  config: Config;
  log: Logger;
  now?: () => Date;
  /** Publishes official answers through platform connectors that can reply. */
  publisher?: AnswerPublisher;
  /** The HTTP dispatcher connectors use (tests inject undici's MockAgent). */
  http?: Dispatcher;
}

export interface Engine {
  readonly redisUrl: string;
  readonly keys: RedisKeys;
  readonly queues: PipelineQueues;
  readonly incidents: IncidentService;
  readonly app?: FastifyInstance;
  /** The API's address when the api role runs. */
  readonly address?: string;
  /** Whether this process leads the scheduler (false when it stands by or plays no scheduler). */
  readonly leadsScheduler: boolean;
  stop(): Promise<void>;
}

export function searchFor(config: Config): SearchIndex {
  const backend = config.SEARCH_BACKEND === 'auto' ? (config.ELASTICSEARCH_URL ? 'elasticsearch' : 'embedded') : config.SEARCH_BACKEND;
  if (backend === 'none') return new UnconfiguredSearchIndex('search is switched off (SEARCH_BACKEND=none): posts are classified and routed, but not searchable');
  if (backend === 'elasticsearch') {
    if (!config.ELASTICSEARCH_URL) throw new OtklikError('CONFIG_INVALID', 'SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL');
    return new ElasticsearchSearchIndex({
      nodes: config.ELASTICSEARCH_URL.split(','),
      ...(config.ES_API_KEY ? { apiKey: config.ES_API_KEY } : {}),
      requestTimeoutMs: config.ES_REQUEST_TIMEOUT_MS,
      replicas: config.ES_REPLICAS,
      retentionDays: config.POSTS_RETENTION_DAYS,
      prefix: config.ES_INDEX_PREFIX,
    });
  }
  return new EmbeddedSearchIndex(resolveProjectPath(config.EMBEDDED_INDEX_PATH));
}

/**
 * The composition root: wires Redis, queues, workers, the scheduler and the API for the roles
 * this process plays. `ENGINE_ROLE=all` runs everything in one process.
 */
export async function startEngine(opts: EngineOptions): Promise<Engine> {
  const { config, log } = opts;
  const now = opts.now ?? (() => new Date());
  const role = config.ENGINE_ROLE;
  const runs = { api: role === 'all' || role === 'api', worker: role === 'all' || role === 'worker', scheduler: role === 'all' || role === 'scheduler' };

  const cleanups: (() => Promise<void>)[] = [];
  // Runs once, last step first: a second stop() waits for the first instead of repeating it.
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const fn of [...cleanups].reverse()) await fn().catch((e: unknown) => log.warn({ err: String(e) }, 'shutdown step failed'));
    })());

  try {
    // Sources and rules first: a bad file stops start-up before anything is started.
    // Telegram sources on one bot share its updates through Redis, attached once Redis is up.
    const botUpdates = new DeferredBotUpdateHub();
    const sources = loadSources(config, log, opts.http, botUpdates);
    const rules = loadRules(config);
    let privateRedis: PrivateRedis | undefined;
    let redisUrl = config.REDIS_URL;
    if (!redisUrl) {
      if (role !== 'all') {
        throw new OtklikError('CONFIG_INVALID', `ENGINE_ROLE=${role} shares Redis with other processes: set REDIS_URL`);
      }
      privateRedis = await startPrivateRedis({ bin: config.REDIS_SERVER_BIN, dataDir: resolveProjectPath(config.REDIS_DATA_DIR), appendfsync: config.REDIS_APPENDFSYNC });
      redisUrl = privateRedis.url;
      const pr = privateRedis;
      cleanups.push(async () => {
        await pr.stop();
        log.info('private redis-server stopped');
      });
      log.info({ url: redisUrl, dataDir: privateRedis.dataDir, pid: privateRedis.pid }, 'started private redis-server (AOF on)');
    } else {
      log.info({ url: redactUrl(redisUrl) }, 'using external Redis');
    }

    // Workers block on Redis: BullMQ requires maxRetriesPerRequest null on their connections.
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    redis.on('error', (e) => log.warn({ err: e.message }, 'redis connection error'));
    cleanups.push(async () => {
      await redis.quit();
    });
    const keys = new RedisKeys(config.QUEUE_PREFIX);
    botUpdates.attach(new RedisBotUpdateHub(redis, keys));
    const queues = new PipelineQueues(redis, config.QUEUE_PREFIX, (queue, e) => log.warn({ queue, err: e.message }, 'queue connection error'), stageJobOptions(config));
    cleanups.push(() => queues.close());
    const stats = new StatsStore(redis, keys);
    const deadLetters = new DeadLetters(queues.deadLetter, stats);
    const sourceHealth = new RedisSourceHealthStore(redis, keys);
    const search = searchFor(config);
    cleanups.push(() => search.close());
    const searchStatus = await search.status();
    log.info({ search: searchStatus }, `search backend: ${searchStatus.message}`);

    let stopping = false;
    const workers: Worker[] = [];
    const markers = new RedisMarkers(redis, config.QUEUE_PREFIX);
    // Answers go out through the connectors that can reply (Telegram so far), unless a test injects one.
    const replying = [...sources.values()].map((s) => s.connector).filter((c) => c.reply !== undefined);
    const publisher = opts.publisher ?? (replying.length > 0 ? new ConnectorAnswerPublisher(replying, markers) : undefined);
    const incidents = wireIncidents({ config, log, redis, keys, queues, deadLetters, counters: stats, rules, now, withWorkers: runs.worker, ...(publisher ? { publisher } : {}) });

    const retrainer = new ModelRetrainer({
      labels: new LabelStore(redis, keys),
      registry: new RedisModelRegistry(redis, keys),
      markers,
      counters: stats,
      log: log.child({ component: 'learning' }),
      now,
      shipped: rules.classifier.models,
      files: config,
      // The retraining thread's entry, built or under tsx like this file.
      workerFile: new URL(`./retrain.worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
      minNewDecisions: config.MODEL_RETRAIN_MIN_DECISIONS,
      minHeldOut: config.MODEL_MIN_HELD_OUT,
    });
    let leader: LeaderLock | undefined;
    if (runs.scheduler) {
      // Whichever scheduler leads retrains the models from moderators' decisions, off its main thread.
      const learning = retrainer.start(config.MODEL_RETRAIN_MINUTES * 60_000, () => leader?.isLeader ?? false);
      cleanups.push(() => learning.stop());
      // Personal data past its retention is purged by whichever scheduler leads.
      const retention = new PersonalDataRetention({ days: config.PERSONAL_DATA_RETENTION_DAYS, search, deadLetters, markers, counters: stats, now, log }).start(
        config.RETENTION_SWEEP_MINUTES * 60_000,
        () => leader?.isLeader ?? false,
      );
      cleanups.push(() => retention.stop());
      // Exactly one scheduler leads: it sets the poll schedules and repairs timers; others stand by.
      const lead = async () => {
        for (const [id, s] of sources) {
          await queues.byStage.poll.upsertJobScheduler(
            `poll.${id}`,
            { every: s.intervalMs },
            { name: 'poll', data: { sourceId: id } satisfies PollJob, opts: { removeOnComplete: 100, removeOnFail: 1000 } },
          );
        }
        for (const js of await queues.byStage.poll.getJobSchedulers()) {
          const id = js.key.startsWith('poll.') ? js.key.slice(5) : js.key;
          if (!sources.has(id)) {
            await queues.byStage.poll.removeJobScheduler(js.key);
            log.info({ sourceId: id }, 'removed schedule of a source no longer configured');
          }
        }
        log.info({ sources: [...sources.keys()] }, 'poll schedules set');
        // Repairs timers a crash may have left out of step with their incidents (idempotent).
        const replanned = await incidents.service.replanAll();
        log.info({ incidents: replanned }, 'SLA timers re-planned for open incidents');
        // Not awaited: a long first sweep must not hold up renewing the lead.
        retention.sweepNow();
      };
      const lock = new LeaderLock({ redis, key: keys.schedulerLeader(), id: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, ttlMs: config.LEADER_LOCK_TTL_MS, log: log.child({ component: 'scheduler' }), onLead: lead });
      leader = lock;
      await lock.start();
      cleanups.push(() => lock.stop());
    }

    if (runs.worker) {
      // The shipped models, or those retrained from moderators' decisions once promoted: no restart.
      const classifier = new LiveClassifier(rules.classifier, new RedisModelRegistry(redis, keys));
      const router = new LiveRouter(rules.router, new RouteTableStore(redis, keys));
      const ttl = config.LEDGER_TTL_DAYS * 86_400;
      const intake = new IncidentIntake({
        incidents: incidents.service,
        ...(config.DUPLICATE_WINDOW_DAYS > 0 ? { duplicates: { index: new NearDuplicateIndex(redis, keys, config.DUPLICATE_WINDOW_DAYS * 86_400), minSimilarity: config.DUPLICATE_MIN_SIMILARITY } } : {}),
      });
      const analyze = createAnalyzeProcessor({ log, queues, deadLetters, classifier, admitted: new Ledger(redis, keys, 'posts_admitted', ttl), counters: stats, now, postContexts: new PostContextStore(redis, keys, config.COMMENT_CONTEXT_DAYS * 86_400) });
      const route = createRouteProcessor({ log, queues, deadLetters, router, intake, stats, now });
      const index = createIndexProcessor({ log, queues, deadLetters, search, completed: new Ledger(redis, keys, 'posts_completed', ttl), counters: stats, outageHoldMs: config.SEARCH_OUTAGE_HOLD_MS });
      const pollRunner = new PollRunner({
        config,
        log: log.child({ component: 'poll' }),
        locks: new RedisLocks(redis, config.QUEUE_PREFIX),
        sources,
        cursors: new CursorStore(redis, keys),
        health: sourceHealth,
        queues,
        deadLetters,
        now,
        stopping: () => stopping,
      });
      const workerOpts = { connection: redis, prefix: config.QUEUE_PREFIX, lockDuration: config.PIPELINE_LOCK_MS, stalledInterval: config.PIPELINE_LOCK_MS, maxStalledCount: 3 };
      workers.push(
        new Worker('poll', (job: Job<PollJob>) => pollRunner.run(job.data.sourceId), { ...workerOpts, concurrency: Math.max(1, sources.size) }),
        new Worker('analyze', analyze, { ...workerOpts, concurrency: config.PIPELINE_CONCURRENCY }),
        new Worker('route', route, { ...workerOpts, concurrency: config.PIPELINE_CONCURRENCY }),
        new Worker('index', index, { ...workerOpts, concurrency: config.PIPELINE_CONCURRENCY }),
        ...incidents.workers,
      );
      for (const w of workers) {
        w.on('error', (e) => log.error({ worker: w.name, err: e.message }, 'worker error'));
      }
      // Workers close first on shutdown (cleanups run in reverse): in-flight jobs finish.
      cleanups.push(async () => {
        stopping = true;
        await Promise.all(workers.map((w) => w.close()));
        log.info('workers drained');
      });
      log.info({ concurrency: config.PIPELINE_CONCURRENCY, batch: config.PIPELINE_BATCH_SIZE }, 'pipeline workers started');
    }

    let app: FastifyInstance | undefined;
    let address: string | undefined;
    if (runs.api) {
      const startedAt = Date.now();
      // The API's own connection fails fast when Redis is gone (the workers' waits forever), so a
      // request gets a 503 instead of hanging.
      const apiRedis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      apiRedis.on('error', (e) => log.warn({ err: e.message }, 'API redis connection error'));
      await apiRedis.connect();
      cleanups.push(async () => {
        apiRedis.disconnect();
      });
      const users = new RedisUserStore(apiRedis, keys, now);
      await bootstrapUsers(config, users, rules.bodies, log);
      const within = (outer: string, inner: string) => rules.territories.contains(outer, inner);
      const access = new AccessPolicy({ bodies: rules.bodies, contains: within });
      const a = await buildApp({
        log,
        search,
        redis: apiRedis,
        keyPrefix: config.QUEUE_PREFIX,
        users,
        notifyTargets: new RedisNotifyTargetStore(apiRedis, keys),
        routeTables: new RouteTableStore(apiRedis, keys),
        access,
        bodies: rules.bodies,
        topics: rules.classifier.topicNames(),
        contains: within,
        routing: { fromFile: rules.router.routes(), topicIds: rules.classifier.topicIds() },
        reportZone: config.REPORT_TIME_ZONE,
        models: {
          status: () => modelsStatus(new RedisModelRegistry(apiRedis, keys), new LabelStore(apiRedis, keys), rules.classifier.models),
          requestRetraining: () => requestRetraining(new RedisMarkers(apiRedis, config.QUEUE_PREFIX), now()),
        },
        queues: queues.all(),
        telemetry: async () => ({ counters: await stats.counters(), latenciesMs: { capture_to_routed: await stats.latencies('capture_to_routed', 10_000) } }),
        incidents: { service: incidents.service, store: incidents.store, listing: new IncidentListing(incidents.store, access, within) },
        apiKeys: config.API_KEYS,
        now,
        http: {
          sessionTtlSeconds: config.SESSION_TTL_HOURS * 3600,
          secureCookie: config.COOKIE_SECURE === 'auto' ? !isLoopback(config.HTTP_HOST) : config.COOKIE_SECURE === 'true',
          ratePerMinute: config.API_RATE_LIMIT_PER_MIN,
          loginLimit: config.LOGIN_RATE_LIMIT,
        },
        health: () =>
          healthReport({
            role,
            redis,
            leaderKey: keys.schedulerLeader(),
            redisMode: privateRedis ? 'private' : 'external',
            queues,
            sourceIds: [...sources.keys()],
            sourceHealth,
            stats,
            search,
            startedAt,
            models: () => modelsStatus(new RedisModelRegistry(apiRedis, keys), new LabelStore(apiRedis, keys), rules.classifier.models),
          }),
      });
      address = await a.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
      app = a;
      cleanups.push(() => a.close());
      log.info({ address }, 'API listening');
    }

    const engine: Engine = {
      redisUrl,
      keys,
      queues,
      incidents: incidents.service,
      ...(app ? { app } : {}),
      ...(address ? { address } : {}),
      get leadsScheduler() {
        return leader?.isLeader ?? false;
      },
      stop: async () => {
        stopping = true;
        await cleanup();
      },
    };
    return engine;
  } catch (e) {
    await cleanup();
    throw e;
  }
}
