import { routePlugin } from './plugin.js';
import type { ModelsStatus } from '../learning/models-status.js';

/** The models in force and the engine's retrainings; admins can ask for a retraining now. */
export const modelRoutes = routePlugin<{ status: () => Promise<ModelsStatus>; requestRetraining: () => Promise<void> }>('otklik-model-routes', (app, d) => {
  app.get('/models', { schema: { tags: ['admin'], summary: 'The models in force (shipped or retrained from moderators’ decisions), what they learnt from, their measured quality, and the latest retrainings' } }, async () => d.status());
  app.post('/models/retrain', { schema: { tags: ['admin'], summary: 'Retrain the topic and problem models from moderators’ decisions at the scheduler’s next check; a candidate goes into force only if it scores no worse' } }, async (_req, reply) => {
    await d.requestRetraining();
    return reply.status(202).send({ requested: true });
  });
});
