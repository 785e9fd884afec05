import { routePlugin } from './plugin.js';
import { z } from 'zod';
import { OtklikError } from '../core/errors.js';
import { effectiveNotify, notifyTargetsSchema, type Body, type BodyDirectory, type NotifyOverride, type NotifyTargets } from '../core/bodies/bodies.js';
import type { AccessPolicy } from '../core/access/access-policy.js';
import type { NotifyTargetStore } from '../ports/notify-targets.js';
import { principalOf } from './auth.js';
import { internalHostProblem } from '../platform/private-address.js';
import { pageQuery, paged, type PageQuery } from './paging.js';

/** Absent: keep what is in force; null: remove; a value: set. (A webhook URL is never shown, so it can be kept without being re-entered.) */
const targetsPatch = z
  .object({
    telegramChatId: notifyTargetsSchema.shape.telegramChatId.unwrap().nullable().optional(),
    webhookUrl: notifyTargetsSchema.shape.webhookUrl.unwrap().nullable().optional(),
  })
  .strict();

const bodyParams = z.object({ id: z.string().regex(/^[a-z0-9-]{1,100}$/, 'a body id') }).strict();

export interface NotifyView {
  bodyId: string;
  bodyName: string;
  /** `api`: set through the API (wins); `rules`: from the routing rules file. */
  origin: 'rules' | 'api';
  telegramChatId: string | null;
  /** A webhook URL may carry a token in its path or query: only its origin is ever shown. */
  webhook: { origin: string } | null;
  updatedBy?: string;
  updatedAt?: string;
}

function view(body: Body, override: NotifyOverride | undefined): NotifyView {
  const { targets, origin } = effectiveNotify(body, override);
  return {
    bodyId: body.id,
    bodyName: body.name,
    origin,
    telegramChatId: targets.telegramChatId ?? null,
    webhook: targets.webhookUrl ? { origin: new URL(targets.webhookUrl).origin } : null,
    ...(override ? { updatedBy: override.updatedBy, updatedAt: override.updatedAt } : {}),
  };
}

/** Where each body hears about its incidents (Telegram chat, webhook): read, set and reset by admins. */
export const notifyRoutes = routePlugin<{ bodies: BodyDirectory; store: NotifyTargetStore; access: AccessPolicy; now: () => Date; allowInternalTargets: boolean }>('otklik-notify-routes', (app, d) => {
  const body = (id: string) => {
    if (!d.bodies.has(id)) throw new OtklikError('NOT_FOUND', `no body "${id}"`);
    return d.bodies.get(id);
  };

  app.get('/notifications/targets', { schema: { querystring: pageQuery, tags: ['admin'], summary: "Every body's notification targets in force and where they come from, paged" } }, async (req) => {
    const overrides = await d.store.all();
    return paged(d.bodies.all().map((b) => view(b, overrides.get(b.id))), req.query as PageQuery);
  });

  app.get('/notifications/targets/:id', { schema: { params: bodyParams, tags: ['admin'], summary: "One body's notification targets" } }, async (req) => {
    const b = body((req.params as z.infer<typeof bodyParams>).id);
    return view(b, (await d.store.getMany([b.id])).get(b.id));
  });

  app.patch(
    '/notifications/targets/:id',
    { schema: { params: bodyParams, body: targetsPatch, tags: ['admin'], summary: "Change a body's Telegram chat or webhook (null removes one); the result replaces the rules file's targets until reset" } },
    async (req) => {
      const b = body((req.params as z.infer<typeof bodyParams>).id);
      const patch = req.body as z.infer<typeof targetsPatch>;
      const internal = patch.webhookUrl && !d.allowInternalTargets ? internalHostProblem(patch.webhookUrl) : undefined;
      if (internal) throw new OtklikError('VALIDATION_FAILED', `webhookUrl: ${internal}; internal receivers need NOTIFY_ALLOW_INTERNAL_TARGETS=true`);
      const current = effectiveNotify(b, (await d.store.getMany([b.id])).get(b.id)).targets;
      const next: NotifyTargets = { ...current };
      for (const key of ['telegramChatId', 'webhookUrl'] as const) {
        const v = patch[key];
        if (v === null) delete next[key];
        else if (v !== undefined) next[key] = v;
      }
      const saved = await d.store.set(b.id, next, d.access.actor(principalOf(req)).id, d.now());
      req.log.info({ bodyId: b.id, telegram: saved.targets.telegramChatId !== undefined, webhook: saved.targets.webhookUrl !== undefined }, 'notification targets set through the API');
      return view(b, saved);
    },
  );

  app.delete('/notifications/targets/:id', { schema: { params: bodyParams, tags: ['admin'], summary: "Back to the rules file's targets" } }, async (req) => {
    const b = body((req.params as z.infer<typeof bodyParams>).id);
    await d.store.clear(b.id);
    return view(b, undefined);
  });
});
