import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { isOtklikError } from '../core/errors.js';
import type { HealthReport } from './health.js';
import type { SearchIndex } from '../search/search-index.js';
import { registerApiKeyAuth } from './auth.js';
import { registerSearchRoutes } from './search.routes.js';
import { renderMetrics } from './metrics.js';

export interface AppDeps {
  log: Logger;
  health: () => Promise<HealthReport>;
  search?: SearchIndex;
  apiKeys?: readonly string[];
  now?: () => Date;
}

/** The HTTP API. Built without listening, so tests drive it through `app.inject()`. */
export function buildApp(d: AppDeps): FastifyInstance {
  const logger: FastifyBaseLogger = d.log.child({ component: 'api' });
  const app: FastifyInstance = Fastify({ loggerInstance: logger, bodyLimit: 1_048_576 });

  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (isOtklikError(err)) {
      void reply.status(err.httpStatus).send({ error: { code: err.code, message: err.message } });
      return;
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) d.log.error({ err: err.message }, 'unhandled API error');
    void reply.status(status).send({ error: { code: status === 500 ? 'INTERNAL' : (err.code ?? 'BAD_REQUEST'), message: status === 500 ? 'internal error' : err.message } });
  });

  registerApiKeyAuth(app, d.apiKeys ?? []);

  app.get('/health', async (_req, reply) => {
    const report = await d.health();
    return reply.status(report.redis.ok ? 200 : 503).send(report);
  });

  // Behind the API keys like everything but /health: Prometheus sends one as a bearer token.
  app.get('/metrics', async (_req, reply) => {
    const m = await renderMetrics(await d.health());
    return reply.header('content-type', m.contentType).send(m.body);
  });

  if (d.search) registerSearchRoutes(app, d.search, d.now ?? (() => new Date()));

  return app;
}
