import type { FastifyReply } from 'fastify';

/**
 * Aborts when the client goes away before its answer is sent (a closed tab, a cancelled download),
 * so the search behind the request stops instead of running on for nobody. A client that left
 * before the handler ran (during authentication) is gone already.
 */
export function untilClientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const res = reply.raw;
  if (res.destroyed || res.socket?.destroyed === true) {
    controller.abort();
    return controller.signal;
  }
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
