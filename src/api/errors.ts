import type { FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { isOtklikError } from '../core/errors.js';

/**
 * One place maps errors to HTTP: our typed errors keep their code and status, fastify's own
 * client errors (bad JSON, body too large, unsupported media) become 4xx with their code, and
 * anything else is a 500 that says nothing about internals.
 */
export function registerErrorHandler(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isOtklikError(err)) {
      if (err.httpStatus >= 500) log.error({ err: err.message, code: err.code, reqId: req.id }, 'API error');
      void reply.status(err.httpStatus).send({ error: { code: err.code, message: err.message } });
      return;
    }
    if (err.name === 'MaxRetriesPerRequestError' || err.message.includes('enableOfflineQueue')) {
      log.warn({ err: err.message, reqId: req.id }, 'Redis unavailable');
      void reply.status(503).send({ error: { code: 'REDIS_UNAVAILABLE', message: 'the engine cannot reach Redis; try again shortly' } });
      return;
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) log.error({ err: err.message, reqId: req.id }, 'unhandled API error');
    const code = status === 500 ? 'INTERNAL' : err.validation ? 'VALIDATION_FAILED' : (err.code ?? 'BAD_REQUEST');
    void reply.status(status).send({ error: { code, message: status === 500 ? 'internal error' : err.message } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}` } });
  });
}
