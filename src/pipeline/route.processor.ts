import type { Logger } from 'pino';
import { authorKeyField } from '../core/incident/incident.js';
import { tally } from '../core/metrics.js';
import type { IncidentIntake } from '../incidents/intake.js';
import type { ReactionRecorder } from '../incidents/reactions.js';
import type { RouterSource } from '../routing/live-router.js';
import type { Stats } from '../ports/stats.js';
import type { DeadLetters } from './dead-letter.js';
import { routeJobSchema, type IndexJob, type RouteJob, type RoutedPost } from './payloads.js';
import type { StageQueues } from './queues.js';
import { routePosts } from './route.stage.js';
import { failuresToDeadLetters, logExcerpt } from './stage-helpers.js';
import { runStage } from './stage-runner.js';

export interface RouteProcessorDeps {
  log: Logger;
  queues: StageQueues;
  deadLetters: DeadLetters;
  /** The router in force (the rules file's, or the route table set through the API). */
  router: RouterSource;
  /** Where alerts become incidents: the incident owner opens them or attaches copies. */
  intake: Pick<IncidentIntake, 'take'>;
  stats: Pick<Stats, 'count' | 'recordLatencies'>;
  now: () => Date;
  /** Replies under answered posts: the residents' reaction to the answer. */
  reactions?: Pick<ReactionRecorder, 'record'>;
}

/**
 * `route`: proposes an incident and a body for each alert, hands the proposals to the incident
 * intake (which opens them or attaches copies to open ones) and the batch to `index`.
 */
export function createRouteProcessor(d: RouteProcessorDeps) {
  const log = d.log.child({ component: 'route' });
  return runStage<RouteJob>('route', routeJobSchema, d.deadLetters, log, async (data, job) => {
    const jobId = job.id ?? '';
    // Every line of this batch carries its job id, so an alert's log line leads back to its batch.
    const jlog = log.child({ jobId });
    const { routed, incidents: proposed, failed } = routePosts(data.items, await d.router.current(), d.now());
    const itemOf = new Map(routed.map((r) => [r.incidentId, r]));
    const placements = await d.intake.take(proposed.map((incident) => ({ incident, ...(itemOf.get(incident.id)?.classification.fingerprint ? { fingerprint: itemOf.get(incident.id)?.classification.fingerprint } : {}) })));
    const attached: RoutedPost[] = [];
    proposed.forEach((inc, i) => {
      const placed = placements[i];
      const item = itemOf.get(inc.id);
      if (!placed || !item) return;
      if (placed.attached) {
        item.incidentId = placed.incidentId;
        attached.push(item);
        jlog.info({ incidentId: placed.incidentId, postId: item.post.id }, `near-duplicate attached to incident ${placed.incidentId}: «${logExcerpt(item.post.text)}»`);
      } else if (placed.opened) {
        jlog.info(
          { incidentId: inc.id, topic: inc.topic, bodyId: inc.proposedBodyId, priority: inc.priority, type: inc.type, territory: inc.territory, permalink: inc.permalink },
          `alert (${inc.topic}, ${inc.type}${inc.priority === 'high' ? ', HIGH' : ''}) → ${inc.proposedBodyId}: «${logExcerpt(item.post.text)}» incident ${inc.id} awaits moderation`,
        );
      }
    });
    await d.reactions?.record(routed.flatMap((r) => (r.post.kind === 'comment' && r.post.parentId ? [{ id: r.post.id, parentId: r.post.parentId, text: r.post.text, createdAt: r.post.createdAt, ...authorKeyField(r.post) }] : [])));
    const opened = proposed.filter((_, i) => placements[i]?.opened);
    await d.stats.count([
      ...tally('otklik_alerts_opened_total', opened, (inc) => ({ topic: inc.topic, body: inc.proposedBodyId })),
      ...tally('otklik_duplicates_attached_total', attached, (r) => ({ source: r.post.sourceId })),
    ]);
    const now = d.now().getTime();
    await d.stats.recordLatencies('capture_to_routed', routed.map((r) => now - Date.parse(r.post.capturedAt)));
    await d.deadLetters.add(failuresToDeadLetters('route', failed, (a) => a.post, job));
    // Incidents reach the index through the incident owner's mirror; the posts go on from here.
    // The near-duplicate fingerprint has done its work here (a 512-character signature no index reads).
    if (routed.length > 0) await d.queues.add('index', { items: routed.map(withoutFingerprint) } satisfies IndexJob, `ix.${jobId}`);
    return { routed: routed.length, incidents: opened.length, attached: attached.length, failed: failed.length };
  });
}

function withoutFingerprint(r: RoutedPost): RoutedPost {
  if (r.classification.fingerprint === undefined) return r;
  const { fingerprint: _fingerprint, ...classification } = r.classification;
  return { ...r, classification };
}
