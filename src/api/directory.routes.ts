import type { FastifyInstance } from 'fastify';
import type { AccessPolicy } from '../core/access/access-policy.js';
import type { BodyDirectory } from '../core/bodies/bodies.js';
import type { HealthReport } from './health.js';
import { principalOf } from './auth.js';

/** What the console offers to choose from: bodies, topics, sources and their health. */
export function registerDirectoryRoutes(
  app: FastifyInstance,
  d: { access: AccessPolicy; bodies: BodyDirectory; topics: { id: string; name: string }[]; health: () => Promise<HealthReport>; routing: { fallbackBody: string; routes: unknown[] } },
): void {
  app.get('/bodies', { schema: { tags: ['directory'], summary: 'Responsible bodies and their hierarchy' } }, async (req) => {
    d.access.require(principalOf(req), 'bodies:read');
    return { items: d.bodies.all().map((b) => ({ id: b.id, name: b.name, ...(b.parent ? { parent: b.parent } : {}), ...(b.territory ? { territory: b.territory } : {}), timeZone: b.timeZone })) };
  });
  app.get('/topics', { schema: { tags: ['directory'], summary: 'Topic groups and topics with their names' } }, async () => ({ items: d.topics }));
  app.get('/sources', { schema: { tags: ['directory'], summary: 'Sources and their health (last poll, errors, items seen)' } }, async (req) => {
    d.access.require(principalOf(req), 'sources:read');
    return { items: (await d.health()).sources };
  });
  app.get('/routing', { schema: { tags: ['admin'], summary: 'Routing rules and where each body is notified (webhook origins only)' } }, async (req) => {
    d.access.require(principalOf(req), 'users:manage');
    return {
      ...d.routing,
      // A webhook URL may carry a token in its path or query: only its origin is shown.
      notify: d.bodies.all().map((b) => ({ bodyId: b.id, sla: b.sla, telegram: b.notify.telegramChatId !== undefined, webhook: b.notify.webhookUrl ? new URL(b.notify.webhookUrl).origin : null })),
    };
  });
}
