import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Connector } from '../connector/connector.js';
import { ConnectorAnswerPublisher } from '../incidents/connector-answer-publisher.js';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { AccessPolicy } from '../core/access/access-policy.js';
import type { RedisKeys } from '../adapters/redis/keys.js';
import { LabelStore } from '../adapters/redis/label.store.js';
import { RedisMarkers } from '../adapters/redis/markers.js';
import { RedisModelRegistry } from '../adapters/redis/model-registry.js';
import { RedisNotifyTargetStore } from '../adapters/redis/notify-target.store.js';
import { RedisPresetStore } from '../adapters/redis/presets.store.js';
import { recentSpikes, SpikeWatch } from '../reports/spike-watch.js';
import { notificationOutbox } from './incidents.js';
import { RouteTableStore } from '../adapters/redis/route-table.store.js';
import { RedisSourceHealthStore } from '../adapters/redis/source-health.store.js';
import { StatsStore } from '../adapters/redis/stats.store.js';
import { RedisUserStore } from '../adapters/redis/user.store.js';
import { RedisLoginThrottle } from '../adapters/redis/login-throttle.js';
import { buildApp } from '../api/app.js';
import { isLoopback } from '../api/auth.js';
import { healthReport } from '../api/health.js';
import { IncidentListing } from '../incidents/incident-listing.js';
import { IncidentPostsReader } from '../incidents/incident-posts.js';
import { ReportService } from '../reports/report-service.js';
import type { IncidentService } from '../incidents/incident.service.js';
import { requestRetraining } from '../learning/model-retrainer.js';
import { modelsStatus } from '../learning/models-status.js';
import { DeadLetters } from '../pipeline/dead-letter.js';
import { PipelineQueues, stageJobOptions } from '../pipeline/queues.js';
import type { AnswerPublisher } from '../ports/answer-publisher.js';
import type { SearchIndex } from '../ports/search-index.js';
import { bootstrapUsers } from './demo-accounts.js';
import { wireIncidents } from './incidents.js';
import { connectRedis, redisDown, type Cleanups } from './redis.js';
import { shippedModels, type LoadedRules } from './rules.js';

export interface ApiRoleDeps {
  config: Config;
  log: Logger;
  now: () => Date;
  redisUrl: string;
  redisMode: 'private' | 'external';
  keys: RedisKeys;
  search: SearchIndex;
  rules: LoadedRules;
  sourceIds: readonly string[];
  /** Answers go out through the connectors that can reply (receipts on this role's connection), or an injected publisher. */
  answers: { connectors: readonly Connector[]; injected?: AnswerPublisher };
  /** Hands this role's connection to the Telegram update hub when no worker or scheduler runs here. */
  attachBotUpdates?: (redis: Redis) => void;
  cleanups: Cleanups;
}

/**
 * The API role: the HTTP API and the console. Everything a request waits on (stores, the incident
 * service and the queues it enqueues on) uses the API's own fail-fast Redis connection, so with
 * Redis gone a request gets a 503 at once instead of hanging. The app is handed ready services.
 */
export async function startApi(d: ApiRoleDeps): Promise<{ app: FastifyInstance; address: string; incidents: IncidentService; queues: PipelineQueues }> {
  const { config, log, keys, rules, now } = d;
  const startedAt = Date.now();
  const redis = await connectRedis(d.redisUrl, 'requests', log);
  d.cleanups.push(async () => {
    redis.disconnect();
  });
  const queues = new PipelineQueues(redis, config.QUEUE_PREFIX, (queue, e) => log.warn({ queue, err: e.message }, 'API queue connection error'), stageJobOptions(config));
  d.cleanups.push(() => queues.close());
  d.attachBotUpdates?.(redis);
  const stats = new StatsStore(redis, keys);
  const publisher = d.answers.injected ?? (d.answers.connectors.length > 0 ? new ConnectorAnswerPublisher(d.answers.connectors, new RedisMarkers(redis, config.QUEUE_PREFIX)) : undefined);
  const incidents = wireIncidents({ config, log, redis, keys, queues, deadLetters: new DeadLetters(queues.deadLetter, stats), counters: stats, rules, now, withWorkers: false, ...(publisher ? { publisher } : {}) });
  const users = new RedisUserStore(redis, keys, now);
  await bootstrapUsers(config, users, rules.bodies, log);
  if (rules.presetsDropped.length > 0) log.warn({ file: config.PRESETS_FILE, dropped: rules.presetsDropped }, 'answer templates for bodies the routing file does not have are left out');
  const within = (outer: string, inner: string) => rules.territories.contains(outer, inner);
  const access = new AccessPolicy({ bodies: rules.bodies, contains: within, inside: (region) => rules.territories.inside(region) });
  const models = () => modelsStatus(new RedisModelRegistry(redis, keys), new LabelStore(redis, keys), shippedModels(rules));
  const spikeWatch = new SpikeWatch({ search: d.search, markers: new RedisMarkers(redis, config.QUEUE_PREFIX), counters: stats, now, log: log.child({ component: 'spikes' }), outbox: notificationOutbox(queues, config) });
  const sourceHealth = new RedisSourceHealthStore(redis, keys);
  const topics = rules.classifier.topicNames();
  const topicNames = new Map(topics.map((t) => [t.id, t.name]));
  const reports = new ReportService({ search: d.search, bodies: rules.bodies, topicName: (id) => topicNames.get(id) ?? id, contains: within, now });
  const app = await buildApp({
    log,
    search: { index: d.search, reports },
    redis,
    redisDown: () => redisDown(redis),
    loginThrottle: new RedisLoginThrottle(redis, keys, config.LOGIN_RATE_LIMIT),
    keyPrefix: config.QUEUE_PREFIX,
    users,
    notifyTargets: new RedisNotifyTargetStore(redis, keys),
    allowInternalWebhooks: config.NOTIFY_ALLOW_INTERNAL_TARGETS,
    routeTables: new RouteTableStore(redis, keys),
    access,
    bodies: rules.bodies,
    topics,
    territories: rules.territories.list(),
    spikes: () => recentSpikes(new RedisMarkers(redis, config.QUEUE_PREFIX)),
    // A look back over a past period: the same watch the leader runs, judging each hour asked for.
    spikeLookBack: (from: Date, to: Date) => spikeWatch.backfill(from, to),
    territoryContains: within,
    presets: { fromFile: rules.presets, store: new RedisPresetStore(redis, keys) },
    routing: { fromFile: rules.router.routes(), topicIds: rules.classifier.topicIds() },
    reportZone: config.REPORT_TIME_ZONE,
    models: { status: models, requestRetraining: () => requestRetraining(new RedisMarkers(redis, config.QUEUE_PREFIX), now()) },
    queues: queues.all(),
    telemetry: async () => ({ counters: await stats.counters(), latenciesMs: { capture_to_routed: await stats.latencies('capture_to_routed', 10_000) } }),
    incidents: { service: incidents.service, store: incidents.store, listing: new IncidentListing(incidents.store, access, within), posts: new IncidentPostsReader(d.search) },
    apiKeys: config.API_KEYS,
    now,
    http: {
      sessionTtlSeconds: config.SESSION_TTL_HOURS * 3600,
      secureCookie: config.COOKIE_SECURE === 'auto' ? !isLoopback(config.HTTP_HOST) : config.COOKIE_SECURE === 'true',
      ratePerMinute: config.API_RATE_LIMIT_PER_MIN,
      ...(config.TRUST_PROXY !== undefined ? { trustProxy: config.TRUST_PROXY } : {}),
    },
    health: () =>
      healthReport({ role: config.ENGINE_ROLE, redis, leaderKey: keys.schedulerLeader(), redisMode: d.redisMode, queues, sourceIds: d.sourceIds, sourceHealth, stats, search: d.search, startedAt, models }),
  });
  const address = await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  d.cleanups.push(() => app.close());
  log.info({ address }, 'API listening');
  return { app, address, incidents: incidents.service, queues };
}
