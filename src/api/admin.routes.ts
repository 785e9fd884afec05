import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OtklikError } from '../core/errors.js';
import { newApiKeySchema, newUserSchema, userPatchSchema, type NewApiKey, type NewUser, type UserPatch } from '../core/access/principal.js';
import type { AccessPolicy } from '../core/access/access-policy.js';
import type { BodyDirectory } from '../core/bodies/bodies.js';
import type { UserStore } from '../ports/users.js';
import type { NotifyTargetStore } from '../ports/notify-targets.js';
import { principalOf } from './auth.js';
import { pageQuery, paged } from './paging.js';
import { notifyRoutes } from './notify.routes.js';
import { routePlugin } from './plugin.js';
import { routingRoutes } from './routing.routes.js';
import type { RouteTable } from '../core/routing/router.js';
import type { RouteTables } from '../ports/route-table.js';
import { modelRoutes } from './models.routes.js';
import type { ModelsStatus } from '../learning/models-status.js';

const userParams = z.object({ id: z.string().regex(/^[a-z0-9._-]{3,64}$/, 'a login') }).strict();
const keyParams = z.object({ id: z.string().uuid() }).strict();
type AdminDeps = {
  users: UserStore;
  access: AccessPolicy;
  bodies: BodyDirectory;
  notify: NotifyTargetStore;
  /** Webhooks to this machine or its network may be set (NOTIFY_ALLOW_INTERNAL_TARGETS). */
  allowInternalWebhooks: boolean;
  routing: { fromFile: RouteTable; store: RouteTables; topicIds: readonly string[] };
  /** The models in force and retraining on request; absent in apps built without them (tests). */
  models?: { status: () => Promise<ModelsStatus>; requestRetraining: () => Promise<void> };
  now: () => Date;
};

/** Users, API keys, notification targets, routing and models: admins only (a plugin scope, so the check covers exactly these routes). */
export const adminRoutes = routePlugin<AdminDeps>('otklik-admin-routes', async (app, d) => {
  app.addHook('preHandler', async (req) => d.access.require(principalOf(req), 'users:manage'));
  routes(app, d);
  await app.register(notifyRoutes, { bodies: d.bodies, store: d.notify, access: d.access, now: d.now, allowInternalTargets: d.allowInternalWebhooks });
  await app.register(routingRoutes, { ...d.routing, bodies: d.bodies, access: d.access, now: d.now });
  if (d.models) await app.register(modelRoutes, d.models);
});

function routes(app: FastifyInstance, d: AdminDeps): void {
  const checkBody = (bodyId: string | null | undefined) => {
    if (bodyId && !d.bodies.has(bodyId)) throw new OtklikError('BODY_UNKNOWN', `unknown body "${bodyId}"`);
  };

  app.get('/users', { schema: { querystring: pageQuery, tags: ['admin'], summary: 'Users by login, paged (no password hashes)' } }, async (req) => paged(await d.users.list(), req.query as z.infer<typeof pageQuery>));
  app.post('/users', { schema: { body: newUserSchema, tags: ['admin'], summary: 'Create a user' } }, async (req, reply) => {
    const input = req.body as NewUser;
    checkBody(input.bodyId);
    return reply.status(201).send(await d.users.create(input));
  });
  app.patch('/users/:id', { schema: { params: userParams, body: userPatchSchema, tags: ['admin'], summary: 'Change a user (name, password, role, body, regions, disabled)' } }, async (req) => {
    const { id } = req.params as z.infer<typeof userParams>;
    const patch = req.body as UserPatch;
    checkBody(patch.bodyId);
    if (id === principalOf(req).id && (patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin'))) {
      throw new OtklikError('VALIDATION_FAILED', 'you cannot disable yourself or take away your own admin role');
    }
    return d.users.update(id, patch);
  });
  app.delete('/users/:id', { schema: { params: userParams, tags: ['admin'], summary: 'Delete a user and end their sessions' } }, async (req, reply) => {
    const { id } = req.params as z.infer<typeof userParams>;
    if (id === principalOf(req).id) throw new OtklikError('VALIDATION_FAILED', 'you cannot delete yourself');
    await d.users.remove(id);
    return reply.status(204).send();
  });

  app.get('/api-keys', { schema: { querystring: pageQuery, tags: ['admin'], summary: 'API keys of systems, paged (never the keys themselves)' } }, async (req) =>
    paged(await d.users.listApiKeys(), req.query as z.infer<typeof pageQuery>),
  );
  app.post('/api-keys', { schema: { body: newApiKeySchema, tags: ['admin'], summary: 'Create an API key; the key is shown once' } }, async (req, reply) => {
    const input = req.body as NewApiKey;
    checkBody(input.bodyId);
    return reply.status(201).send(await d.users.createApiKey(input));
  });
  app.delete('/api-keys/:id', { schema: { params: keyParams, tags: ['admin'], summary: 'Revoke an API key' } }, async (req, reply) => {
    await d.users.revokeApiKey((req.params as z.infer<typeof keyParams>).id);
    return reply.status(204).send();
  });
}
