import type { Post } from '../post.js';
import type { Classification, Priority } from '../classify/classifier.js';
import type { RouteDecision } from '../routing/router.js';
import { shortHash } from '../revision.js';

/** Where an incident is in its life. The incident issue adds the full state machine. */
export type IncidentStatus = 'alert';

/** A problem raised by one or more posts, proposed to a responsible body, awaiting moderation. */
export interface Incident {
  id: string;
  status: IncidentStatus;
  version: number;
  postIds: string[];
  topic: string;
  territory?: string;
  proposedBodyId: string;
  routeReason: string;
  priority: Priority;
  sentiment: Classification['sentiment'];
  type: Classification['type'];
  permalink?: string;
  createdAt: string;
}

/** The same post always opens the same incident, so a redelivered post cannot open a second one. */
export function incidentIdFor(postId: string): string {
  return `inc_${shortHash([postId]).slice(0, 16)}`;
}

export function openIncident(post: Post, c: Classification, route: RouteDecision, now: Date): Incident {
  const topic = c.topics[0]?.id ?? 'other';
  return {
    id: incidentIdFor(post.id),
    status: 'alert',
    version: 1,
    postIds: [post.id],
    topic,
    ...(post.territory === undefined ? {} : { territory: post.territory }),
    proposedBodyId: route.bodyId,
    routeReason: route.reason,
    priority: c.priority,
    sentiment: c.sentiment,
    type: c.type,
    ...(post.permalink === undefined ? {} : { permalink: post.permalink }),
    createdAt: now.toISOString(),
  };
}
