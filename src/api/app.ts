import { join } from 'node:path';
import Fastify, { type FastifyReply, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { OtklikError } from '../core/errors.js';
import type { AccessPolicy } from '../core/access/access-policy.js';
import type { BodyDirectory } from '../core/bodies/bodies.js';
import { redisAnswers, type HealthReport } from './health.js';
import type { SearchIndex } from '../ports/search-index.js';
import type { UserStore } from '../ports/users.js';
import type { LoginThrottle } from '../ports/login-throttle.js';
import type { IncidentRoutesDeps } from './incidents.routes.js';
import { projectRoot } from '../paths.js';
import { authPlugin, principalOf } from './auth.js';
import { authRoutes } from './auth.routes.js';
import { adminRoutes } from './admin.routes.js';
import type { ModelsStatus } from '../learning/models-status.js';
import { errorResponse } from './errors.js';
import { queueDashboard } from './queue-dashboard.js';
import type { Queue } from 'bullmq';
import { type NotifyTargetStore } from '../ports/notify-targets.js';
import { type RouteTables } from '../ports/route-table.js';
import type { RouteTable } from '../core/routing/router.js';
import { directoryRoutes } from './directory.routes.js';
import { presetRoutes } from './preset.routes.js';
import { open311Routes } from './open311.routes.js';
import type { Presets } from '../core/moderation/presets.js';
import type { PresetStore } from '../ports/presets.js';
import type { Spike } from '../reports/spike-watch.js';
import { incidentRoutes } from './incidents.routes.js';
import { searchRoutes } from './search.routes.js';
import { registerErrorHandler } from './errors.js';
import { zodValidatorCompiler } from './validation.js';
import { renderMetrics, type Telemetry } from './metrics.js';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { randomUUID } from 'node:crypto';
import { reportRoutes } from './reports.routes.js';
import type { ReportService } from '../reports/report-service.js';

export interface AppDeps {
  log: Logger;
  health: () => Promise<HealthReport>;
  /** Rate-limit counters live here, so every API process shares them. */
  redis: Redis;
  /** Is that connection down right now (a failure then is Redis being away: 503, not 500)? */
  redisDown: () => boolean;
  keyPrefix: string;
  users: UserStore;
  /** Bodies' notification targets set by admins. */
  notifyTargets: NotifyTargetStore;
  /** Webhooks to this machine or its network may be set (NOTIFY_ALLOW_INTERNAL_TARGETS). */
  allowInternalWebhooks?: boolean;
  /** The route table admins set. */
  routeTables: RouteTables;
  access: AccessPolicy;
  bodies: BodyDirectory;
  topics: { id: string; name: string }[];
  /** Reject reasons and answer templates: the rules file's and the store admins change them in. */
  presets?: { fromFile: Presets; store: PresetStore };
  /** The surges the leading scheduler found (read from where it keeps them). */
  spikes?: () => Promise<Spike[]>;
  /** Judges the hours of a past period for spikes (POST /spikes/scan). */
  spikeLookBack?: (from: Date, to: Date) => Promise<Spike[]>;
  /** Is territory `inner` inside `outer`? (The gazetteer.) */
  territoryContains?: (outer: string, inner: string) => boolean;
  /** The gazetteer's territories for the console's territory picker. */
  territories?: { id: string; parent?: string; depth: number }[];
  /** The rules file's route table (what admins may override) and the topics routes may name. */
  routing?: { fromFile: RouteTable; topicIds: readonly string[] };
  /** The zone report periods (months, quarters) are cut in. */
  reportZone?: string;
  /** The models in force and their retrainings (admins' /models). */
  models?: { status: () => Promise<ModelsStatus>; requestRetraining: () => Promise<void> };
  incidents: Omit<IncidentRoutesDeps, 'access' | 'bodies'>;
  /** Search, trends and reports (absent when search is switched off). */
  search?: { index: SearchIndex; reports: ReportService };
  /** Labelled counters and latency samples from Redis, for /metrics. */
  telemetry?: () => Promise<Telemetry>;
  /** The engine's queues, for the operators' queue dashboard (absent: no dashboard). */
  queues?: readonly Queue[];
  apiKeys?: readonly string[];
  now?: () => Date;
  http?: { sessionTtlSeconds: number; secureCookie: boolean; ratePerMinute: number; trustProxy?: boolean | string[] };
  /** Failed sign-ins, counted per account from an address, per account and per address. */
  loginThrottle: LoginThrottle;
}

const DEFAULT_HTTP = { sessionTtlSeconds: 12 * 3600, secureCookie: false, ratePerMinute: 600 };

/** The HTTP API and the console. Built without listening, so tests drive it through `app.inject()`. */
export async function buildApp(d: AppDeps): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = d.log.child({ component: 'api' });
  const http: NonNullable<AppDeps['http']> = d.http ?? DEFAULT_HTTP;
  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    bodyLimit: 1_048_576,
    // A caller's request id (a proxy's, another system's) is kept for the logs when it is sane; otherwise ours.
    requestIdHeader: false,
    // Behind a reverse proxy the client's address is the proxy's: trust its X-Forwarded-For only when configured.
    ...(http.trustProxy !== undefined ? { trustProxy: http.trustProxy } : {}),
    // Errors the router raises before any route (a malformed URL, an over-long parameter) get our error shape too.
    frameworkErrors: (err, _req, reply) => {
      const r = errorResponse(err);
      // The reply here is typed for the router's generic route; ours is the plain reply.
      void (reply as unknown as FastifyReply).status(r.status).send(r.body);
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(given) ? given : randomUUID();
    },
  });
  const own = new Registry();
  collectDefaultMetrics({ register: own, prefix: 'otklik_api_' });
  const httpDuration = new Histogram({
    name: 'otklik_http_request_duration_seconds',
    help: 'API request durations by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [own],
  });
  app.addHook('onResponse', async (req, reply) => {
    httpDuration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  registerErrorHandler(app, d.log, { redisDown: d.redisDown });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Otklik API', version: '0.1.0', description: 'Alerts, incidents, bodies, sources, search, trends and reports. Sign in at /auth/login (cookie) or send an API key as a bearer token.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'an API key (otk_…) or one of API_KEYS' },
          session: { type: 'apiKey', in: 'cookie', name: 'otklik_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' }, uiHooks: {} });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: true,
    max: http.ratePerMinute,
    timeWindow: 60_000,
    // After authentication: a user or key gets its own budget; anonymous callers share their address's.
    hook: 'preHandler',
    keyGenerator: (req) => (req.principal ? `${req.principal.kind}:${req.principal.id}` : `ip:${req.ip}`),
    redis: d.redis,
    nameSpace: `${d.keyPrefix}:ratelimit:`,
    skipOnError: true,
    errorResponseBuilder: (_req, ctx) => new OtklikError('RATE_LIMITED', `too many requests: at most ${ctx.max} per ${ctx.after.replace('1 minute', 'minute')}; try again in ${ctx.after}`),
  });
  await app.register(authPlugin, { users: d.users, envKeys: d.apiKeys ?? [] });

  // The console: a single-page app and the libraries it loads, all public (the data behind is not).
  await app.register(fastifyStatic, { root: join(projectRoot, 'console'), prefix: '/console/', index: 'index.html' });
  await app.register(fastifyStatic, {
    root: [join(projectRoot, 'node_modules/htm/preact'), join(projectRoot, 'node_modules/chart.js/dist'), join(projectRoot, 'node_modules/@picocss/pico/css')],
    prefix: '/vendor/',
    decorateReply: false,
  });
  app.addHook('onSend', async (req, reply) => {
    void reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').header('x-request-id', req.id);
    // The console runs only its own scripts: a post that slipped through as markup could not run any.
    if (req.url.startsWith('/console/')) {
      void reply
        .header('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
        .header('x-frame-options', 'DENY');
    }
  });
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => reply.redirect('/console/'));

  // Probes get up or down and nothing else; operators (signed in, or with a key) get the whole report.
  // Limited per address like any anonymous call, but apart from the API's budget: a probe every
  // few seconds fits, a flood does not reach Redis.
  app.get(
    '/health',
    {
      config: { public: true, optionalAuth: true, rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: { tags: ['operations'], summary: 'Up or down for anyone; Redis, queues, counters, sources and the search backend for operators' },
    },
    async (req, reply) => {
      if (req.principal && d.access.can(req.principal, 'sources:read')) {
        const report = await d.health();
        return reply.status(report.redis.ok ? 200 : 503).send(report);
      }
      const up = await redisAnswers(d.redis);
      return reply.status(up ? 200 : 503).send({ status: up ? 'ok' : 'degraded', redis: { ok: up } });
    },
  );

  // Prometheus sends an API key as a bearer token.
  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics' } }, async (req, reply) => {
    d.access.require(principalOf(req), 'operate');
    const [report, telemetry] = await Promise.all([d.health(), d.telemetry ? d.telemetry() : { counters: [], latenciesMs: {} }]);
    const m = await renderMetrics(report, telemetry, own);
    return reply.header('content-type', m.contentType).send(m.body);
  });

  await app.register(authRoutes, { users: d.users, sessionTtlSeconds: http.sessionTtlSeconds, secureCookie: http.secureCookie, throttle: d.loginThrottle });
  if (d.queues) await app.register(queueDashboard, { queues: d.queues, access: d.access });
  await app.register(adminRoutes, {
    users: d.users,
    access: d.access,
    bodies: d.bodies,
    notify: d.notifyTargets,
    allowInternalWebhooks: d.allowInternalWebhooks ?? false,
    routing: { fromFile: d.routing?.fromFile ?? { fallbackBody: '', routes: [] }, topicIds: d.routing?.topicIds ?? d.topics.map((t) => t.id), store: d.routeTables },
    ...(d.models ? { models: d.models } : {}),
    now: d.now ?? (() => new Date()),
  });
  await app.register(directoryRoutes, { access: d.access, bodies: d.bodies, topics: d.topics, territories: d.territories ?? [], health: d.health });
  if (d.presets) await app.register(presetRoutes, { ...d.presets, bodies: d.bodies, access: d.access, now: d.now ?? (() => new Date()) });
  await app.register(open311Routes, { listing: d.incidents.listing, store: d.incidents.store, topics: d.topics, bodyName: (id) => (d.bodies.has(id) ? d.bodies.get(id).name : id), now: d.now ?? (() => new Date()) });
  await app.register(incidentRoutes, { ...d.incidents, access: d.access, bodies: d.bodies });
  if (d.search) {
    const topicNames = new Map(d.topics.map((t) => [t.id, t.name]));
    await app.register(searchRoutes, { search: d.search.index, access: d.access, now: d.now ?? (() => new Date()), topicName: (id) => topicNames.get(id) ?? id, zone: d.reportZone ?? 'Europe/Moscow', ...(d.spikes ? { spikes: d.spikes } : {}), ...(d.spikeLookBack ? { lookBack: d.spikeLookBack } : {}), ...(d.territoryContains ? { territoryContains: d.territoryContains } : {}) });
    await app.register(reportRoutes, { reports: d.search.reports, access: d.access, zone: d.reportZone ?? 'Europe/Moscow' });
  }

  return app;
}
