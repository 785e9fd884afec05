import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { redactUrl, type Config } from '../config/config.js';
import { OtklikError } from '../core/errors.js';
import { RedisKeys } from '../adapters/redis/keys.js';
import { StatsStore } from '../adapters/redis/stats.store.js';
import { RedisSourceHealthStore } from '../adapters/redis/source-health.store.js';
import { RedisMarkers } from '../adapters/redis/markers.js';
import { RedisBotUpdateHub } from '../adapters/redis/bot-update-hub.store.js';
import type { LeaderLock } from '../adapters/redis/leader-lock.js';
import { startPrivateRedis, type PrivateRedis } from '../adapters/redis/redis-server.js';
import { UnconfiguredSearchIndex } from '../adapters/search/unconfigured.search-index.js';
import { EmbeddedSearchIndex } from '../adapters/search/embedded/embedded.search-index.js';
import { ElasticsearchSearchIndex } from '../adapters/search/elasticsearch/elasticsearch.search-index.js';
import type { SearchIndex } from '../ports/search-index.js';
import type { AnswerPublisher } from '../ports/answer-publisher.js';
import { DeferredBotUpdateHub } from '../connector/bot-update-hub.js';
import { PipelineQueues, stageJobOptions } from '../pipeline/queues.js';
import { DeadLetters } from '../pipeline/dead-letter.js';
import type { IncidentService } from '../incidents/incident.service.js';
import { ConnectorAnswerPublisher } from '../incidents/connector-answer-publisher.js';
import { resolveProjectPath } from '../paths.js';
import { loadSources } from './sources.js';
import { loadRules } from './rules.js';
import { wireIncidents } from './incidents.js';
import { connectRedis, Cleanups } from './redis.js';
import { startScheduler } from './scheduler.js';
import { startWorkers } from './worker.js';
import { startApi } from './api.js';

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
  return new EmbeddedSearchIndex(resolveProjectPath(config.EMBEDDED_INDEX_PATH), { readers: config.EMBEDDED_READERS, queryTimeoutMs: config.SEARCH_QUERY_TIMEOUT_MS });
}

/**
 * The engine: loads the sources and rules, finds Redis (a private one for `ENGINE_ROLE=all` without
 * REDIS_URL) and the search backend, then starts the roles this process plays, each from its own
 * composition root: the scheduler (roles/scheduler.ts), the workers (roles/worker.ts) and the API
 * (roles/api.ts). `ENGINE_ROLE=all` runs all three in one process.
 */
export async function startEngine(opts: EngineOptions): Promise<Engine> {
  const { config, log } = opts;
  const now = opts.now ?? (() => new Date());
  const role = config.ENGINE_ROLE;
  const runs = { api: role === 'all' || role === 'api', worker: role === 'all' || role === 'worker', scheduler: role === 'all' || role === 'scheduler' };
  const cleanups = new Cleanups(log);

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
    const keys = new RedisKeys(config.QUEUE_PREFIX);
    const search = searchFor(config);
    cleanups.push(() => search.close());
    const searchStatus = await search.status();
    log.info({ search: searchStatus }, `search backend: ${searchStatus.message}`);

    // Answers go out through the connectors that can reply (VK, OK, Telegram), unless a test injects one.
    const replying = [...sources.values()].map((s) => s.connector).filter((c) => c.reply !== undefined);
    const receiptsFor = (redis: Redis) => new RedisMarkers(redis, config.QUEUE_PREFIX);

    let queues: PipelineQueues | undefined;
    let incidents: IncidentService | undefined;
    let leader: LeaderLock | undefined;
    if (runs.worker || runs.scheduler) {
      // Workers and the scheduler block on Redis and wait through an outage.
      const redis = await connectRedis(redisUrl, 'workers', log);
      cleanups.push(async () => {
        await redis.quit();
      });
      botUpdates.attach(new RedisBotUpdateHub(redis, keys));
      const q = new PipelineQueues(redis, config.QUEUE_PREFIX, (queue, e) => log.warn({ queue, err: e.message }, 'queue connection error'), stageJobOptions(config));
      cleanups.push(() => q.close());
      queues = q;
      const stats = new StatsStore(redis, keys);
      const deadLetters = new DeadLetters(q.deadLetter, stats);
      const markers = receiptsFor(redis);
      const publisher = opts.publisher ?? (replying.length > 0 ? new ConnectorAnswerPublisher(replying, markers) : undefined);
      const wired = wireIncidents({ config, log, redis, keys, queues: q, deadLetters, counters: stats, rules, now, withWorkers: runs.worker, ...(publisher ? { publisher } : {}) });
      incidents = wired.service;
      if (runs.scheduler) leader = await startScheduler({ config, log, now, redis, keys, queues: q, deadLetters, stats, markers, search, rules, sources, incidents: wired.service, cleanups });
      if (runs.worker) startWorkers({ config, log, now, redis, keys, queues: q, deadLetters, stats, sourceHealth: new RedisSourceHealthStore(redis, keys), search, rules, sources, incidents: wired, cleanups });
    }

    let api: Awaited<ReturnType<typeof startApi>> | undefined;
    if (runs.api) {
      api = await startApi({
        config,
        log,
        now,
        redisUrl,
        redisMode: privateRedis ? 'private' : 'external',
        keys,
        search,
        rules,
        sourceIds: [...sources.keys()],
        answers: { connectors: replying, ...(opts.publisher ? { injected: opts.publisher } : {}) },
        // An API-only process still answers on Telegram: the bot's message links are in Redis.
        ...(runs.worker || runs.scheduler ? {} : { attachBotUpdates: (redis: Redis) => botUpdates.attach(new RedisBotUpdateHub(redis, keys)) }),
        cleanups,
      });
    }

    const engine: Engine = {
      redisUrl,
      keys,
      queues: (queues ?? api?.queues) as PipelineQueues,
      incidents: (api?.incidents ?? incidents) as IncidentService,
      ...(api ? { app: api.app, address: api.address } : {}),
      get leadsScheduler() {
        return leader?.isLeader ?? false;
      },
      stop: () => cleanups.run(),
    };
    return engine;
  } catch (e) {
    await cleanups.run();
    throw e;
  }
}
