import type { FastifyInstance } from 'fastify';
import type { AccessPolicy } from '../core/access/access-policy.js';
import type { BodyDirectory } from '../core/bodies/bodies.js';
import type { HealthReport } from './health.js';
import { principalOf } from './auth.js';

/** What the console offers to choose from: bodies, topics, sources and their health. */
export function registerDirectoryRoutes(
  app: FastifyInstance,
  d: { access: AccessPolicy; bodies: BodyDirectory; topics: { id: string; name: string }[]; health: () => Promise<HealthReport> },
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
}
