import { routePlugin } from './plugin.js';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { HTTPStatus } from '@bull-board/api/typings/app';
import type { AccessPolicy } from '../core/access/access-policy.js';
import { principalOf } from './auth.js';
import { errorResponse } from './errors.js';
import { urlOrigin } from '../core/redact.js';

export const QUEUE_DASHBOARD_PATH = '/queues';

/** Fields that name where something is sent (a webhook delivery's `to`), and URLs with credentials anywhere. */
const RECEIVER_FIELDS = new Set(['to', 'url', 'webhookUrl']);

export function redactReceivers(value: unknown, field = ''): unknown {
  if (typeof value === 'string') {
    if (!/^https?:\/\//i.test(value) || !URL.canParse(value)) return value;
    const u = new URL(value);
    return RECEIVER_FIELDS.has(field) || u.username !== '' || u.password !== '' ? urlOrigin(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => redactReceivers(v));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactReceivers(v, k)]));
  return value;
}

/**
 * bull-board over the engine's queues at /queues, for operators (the `operate` capability: admins
 * and the admin-level API_KEYS): depths, job data, failures with their stack, retry and clean.
 */
export const queueDashboard = routePlugin<{ queues: readonly Queue[]; access: AccessPolicy }>('otklik-queue-dashboard', async (app, d) => {
  app.addHook('preHandler', async (req) => d.access.require(principalOf(req), 'operate'));
  const adapter = new FastifyAdapter();
  adapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: d.queues.map((q) => {
      const queue = new BullMQAdapter(q);
      // Job data is shown as stored, except receivers' URLs, cut to their origin (a path or query may be the token).
      queue.setFormatter('data', (data: unknown) => redactReceivers(data));
      return queue;
    }),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Otklik: очереди' } },
  });
  // bull-board answers errors in its own scope: ours keep their status (401, 403) there too.
  adapter.setErrorHandler((err) => {
    const r = errorResponse(err);
    // Its type lists fewer statuses than HTTP has; the adapter passes any through.
    return { status: r.status as HTTPStatus, body: r.body };
  });
  await app.register(adapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
});
