import type { FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { isOtklikError } from '../core/errors.js';

export interface ErrorResponse {
  status: number;
  body: { error: { code: string; message: string } };
  /** How loudly to log it: server-side failures are errors, an unreachable Redis a warning. */
  level?: 'error' | 'warn';
}

export interface ErrorContext {
  /**
   * Is the API's Redis connection down right now? Then a failure that is not ours is Redis being
   * away, not a bug: the client's own errors say so only in their wording, the connection's state
   * says it for certain.
   */
  redisDown?: () => boolean;
}

/**
 * One place maps errors to HTTP: our typed errors keep their code and status, fastify's own
 * client errors (bad JSON, body too large, unsupported media) become 4xx with their code, a
 * failure while Redis is away a 503, and anything else is a 500 that says nothing about internals.
 */
export function errorResponse(err: Error & { statusCode?: number; code?: string; validation?: unknown }, ctx: ErrorContext = {}): ErrorResponse {
  if (isOtklikError(err)) return { status: err.httpStatus, body: { error: { code: err.code, message: err.message } }, ...(err.httpStatus >= 500 ? { level: 'error' as const } : {}) };
  const clientError = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500;
  if (!clientError && ctx.redisDown?.() === true) {
    return { status: 503, body: { error: { code: 'REDIS_UNAVAILABLE', message: 'the engine cannot reach Redis; try again shortly' } }, level: 'warn' };
  }
  const status = clientError && err.statusCode !== undefined ? err.statusCode : 500;
  const code = status === 500 ? 'INTERNAL' : err.validation ? 'VALIDATION_FAILED' : (err.code ?? 'BAD_REQUEST');
  return { status, body: { error: { code, message: status === 500 ? 'internal error' : err.message } }, ...(status === 500 ? { level: 'error' as const } : {}) };
}

export function registerErrorHandler(app: FastifyInstance, log: Logger, ctx: ErrorContext = {}): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const r = errorResponse(err, ctx);
    if (r.level) log[r.level]({ err: err.message, code: r.body.error.code, reqId: req.id }, 'API error');
    void reply.status(r.status).send(r.body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}` } });
  });
}
