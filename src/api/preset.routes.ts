import { routePlugin } from './plugin.js';
import { OtklikError } from '../core/errors.js';
import { presetProblems, presetsSchema, type Presets } from '../core/moderation/presets.js';
import type { AccessPolicy } from '../core/access/access-policy.js';
import type { BodyDirectory } from '../core/bodies/bodies.js';
import type { PresetStore } from '../ports/presets.js';
import { principalOf } from './auth.js';

/**
 * Reject reasons and answer templates: everyone signed in reads them (the console offers them),
 * admins replace them as a whole or go back to the rules file's.
 */
export const presetRoutes = routePlugin<{ fromFile: Presets; store: PresetStore; bodies: BodyDirectory; access: AccessPolicy; now: () => Date }>('otklik-preset-routes', (app, d) => {
  const inForce = async () => {
    const stored = await d.store.get();
    return stored ? { origin: 'api' as const, ...stored.presets, updatedBy: stored.updatedBy, updatedAt: stored.updatedAt } : { origin: 'rules' as const, ...d.fromFile };
  };

  app.get('/presets', { schema: { tags: ['directory'], summary: 'Preset reject reasons and answer templates (each for every body or some), and where they come from' } }, async () => inForce());

  app.put('/presets', { schema: { body: presetsSchema, tags: ['admin'], summary: 'Replace the reject reasons and answer templates (over the rules file until reset)' } }, async (req) => {
    const p = principalOf(req);
    d.access.require(p, 'users:manage');
    const presets = req.body as Presets;
    const problems = presetProblems(presets, (id) => d.bodies.has(id));
    if (problems.length > 0) throw new OtklikError('VALIDATION_FAILED', problems.join('; '), { details: { problems } });
    await d.store.set(presets, d.access.actor(p).id, d.now());
    return inForce();
  });

  app.delete('/presets', { schema: { tags: ['admin'], summary: "Back to the rules file's reject reasons and answer templates" } }, async (req) => {
    d.access.require(principalOf(req), 'users:manage');
    await d.store.clear();
    return inForce();
  });
});
