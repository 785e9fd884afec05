import { openIncident, type Incident } from '../core/incident/incident.js';
import type { Router } from '../core/routing/router.js';
import { toOtklikError } from '../core/errors.js';
import type { AnalyzedPost, RoutedPost } from './payloads.js';
import type { StageFailure } from './analyze.stage.js';

/** Decides which analysed posts open an incident and which body it is proposed to. */
export function routePosts(
  items: readonly AnalyzedPost[],
  router: Router,
  now: Date,
): { routed: RoutedPost[]; incidents: Incident[]; failed: StageFailure<AnalyzedPost>[] } {
  const routedAt = now.toISOString();
  const routed: RoutedPost[] = [];
  const incidents: Incident[] = [];
  const failed: StageFailure<AnalyzedPost>[] = [];
  for (const item of items) {
    try {
      const c = item.classification;
      if (!c.alert) {
        routed.push({ ...item, routedAt });
        continue;
      }
      const topic = c.subtopic ?? c.topics[0]?.id ?? 'other';
      const incident = openIncident(item.post, c, router.route(topic, c.territory ?? item.post.territory, item.post.text), now);
      incidents.push(incident);
      routed.push({ ...item, incidentId: incident.id, routedAt });
    } catch (e) {
      failed.push({ item, error: toOtklikError(e, 'STAGE_FAILED') });
    }
  }
  return { routed, incidents, failed };
}
