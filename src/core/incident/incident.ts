import type { Post } from '../post.js';
import type { Classification, Priority } from '../classify/classifier.js';
import type { RouteDecision } from '../routing/router.js';
import { shortHash } from '../revision.js';

/**
 * Where an incident is in its life:
 * alert → rejected | merged | routed → in_progress → answered_interim → answered_final → closed,
 * with paused (from routed, in_progress or answered_interim) and reopened (back to routed). Where the
 * region reviews answers, a responder's final answer waits `on_review` until a moderator publishes
 * it (→ answered_final) or sends it back for rework (→ in_progress).
 */
export type IncidentStatus =
  | 'alert'
  | 'rejected'
  | 'merged'
  | 'routed'
  | 'in_progress'
  | 'answered_interim'
  | 'answered_final'
  | 'closed'
  | 'paused'
  | 'on_review';

export type ClockKind = 'first_response' | 'final_answer';
/** A body clock restarts when the incident is rerouted; the incident clock keeps running. */
export type ClockScope = 'body' | 'incident';

/** One SLA clock of an incident. Instants are ISO strings (UTC). */
export interface SlaClock {
  id: string;
  kind: ClockKind;
  scope: ClockScope;
  bodyId: string;
  /** Policy text: working-time:<min> | next-working-day | calendar-time:<min>. */
  policy: string;
  startedAt: string;
  pauses: { start: string; end?: string }[];
  /** Absent while the clock is paused or stopped. */
  dueAt?: string;
  provisional: boolean;
  /** The deadline's own words ("due Mon 18:00: Sat and Sun off..."). */
  explain?: string;
  warnAt: number[];
  warningsFired: number[];
  breachedAt?: string;
  stoppedAt?: string;
  /** How long the clock ran, in wall-clock and in working minutes (pauses excluded), once stopped. */
  elapsed?: { wallMinutes: number; workingMinutes: number };
  outcome?: 'met' | 'late' | 'cancelled' | 'rerouted';
}

export interface Answer {
  kind: 'interim' | 'final';
  text: string;
  url?: string;
  /** When the answer counts: the platform's timestamp when the engine published it, else when it was recorded. */
  publishedAt: string;
  /**
   * True when the engine published it under the post (the platform confirmed it); false when it was
   * only recorded (with the link a responder gave, or none). Absent on answers from before this field.
   */
  published?: boolean;
  by: string;
}

/** A problem raised by one or more posts, and everything done about it. */
export interface Incident {
  id: string;
  status: IncidentStatus;
  /** Increases by one with every transition; writers must name the version they read. */
  version: number;
  pausedFrom?: IncidentStatus;
  postIds: string[];
  /** The opening post's text (at most 4,000 characters): what moderators read and decide on. */
  text?: string;
  /** The top-level topic (group), as search and trends count it. */
  topic: string;
  /** The topic inside the group (`snow.yards`), when known. */
  subtopic?: string;
  territory?: string;
  /** A street the post names lies in several places and it does not say which: the moderator chooses. */
  territoryCandidates?: string[];
  proposedBodyId: string;
  routeReason: string;
  bodyId?: string;
  priority: Priority;
  sentiment: Classification['sentiment'];
  type: Classification['type'];
  permalink?: string;
  /** When the opening post was written on the platform (createdAt is when the engine opened the incident). */
  postedAt?: string;
  createdAt: string;
  updatedAt: string;
  clocks: SlaClock[];
  answers: Answer[];
  reroutes: { from: string; to: string; reason: string; by: string; at: string }[];
  /** Why a moderator rejected the alert; `noise` when it reports no problem at all. */
  rejection?: { reason: string; by: string; noise?: boolean };
  mergedInto?: string;
  /** Replies in the post's thread after an answer, judged: the residents' satisfaction signal. */
  reactions?: { postId: string; at: string; verdict: 'satisfied' | 'unsatisfied' | 'neutral'; cues: string[]; byAuthor?: boolean }[];
  /**
   * Who wrote the opening post, as a pseudonym (a hash of platform and author id, never the id):
   * enough to tell the author's own reply in the thread from other people's.
   */
  authorKey?: string;
  /** A responder's final answer waiting for a moderator's review (the region reviews answers). */
  review?: { text: string; url?: string; by: string; submittedAt: string };
  /** Answers a moderator sent back for rework, with the remark. */
  returns?: { text: string; remark: string; by: string; at: string }[];
  /** How many times the incident was reopened after it was answered or closed. */
  reopenings?: number;
  /** The same problem at the same place was closed not long ago: that incident (a repeat is a failure to count, not a new problem). */
  repeatOf?: { incidentId: string; closedAt: string; score: number };
}

/** The pseudonym of a post's author: the same person on the same platform always gets the same key. */
export function authorKeyOf(post: Pick<Post, 'platform' | 'author'>): string | undefined {
  return post.author ? shortHash(['author', post.platform, post.author.id]).slice(0, 16) : undefined;
}

export function authorKeyField(post: Pick<Post, 'platform' | 'author'>): { authorKey?: string } {
  const key = authorKeyOf(post);
  return key === undefined ? {} : { authorKey: key };
}

/** The same post always opens the same incident, so a redelivered post cannot open a second one. */
export function incidentIdFor(postId: string): string {
  return `inc_${shortHash([postId]).slice(0, 16)}`;
}

export function openIncident(post: Post, c: Classification, route: RouteDecision, now: Date): Incident {
  const topic = c.topics[0]?.id ?? 'other';
  const at = now.toISOString();
  return {
    id: incidentIdFor(post.id),
    status: 'alert',
    version: 1,
    postIds: [post.id],
    text: post.text.slice(0, 4000),
    topic,
    ...(c.subtopic === undefined ? {} : { subtopic: c.subtopic }),
    ...((c.territory ?? post.territory) === undefined ? {} : { territory: c.territory ?? post.territory }),
    ...(c.territoryCandidates ? { territoryCandidates: c.territoryCandidates } : {}),
    proposedBodyId: route.bodyId,
    routeReason: route.reason,
    priority: c.priority,
    sentiment: c.sentiment,
    type: c.type,
    ...(post.permalink === undefined ? {} : { permalink: post.permalink }),
    ...authorKeyField(post),
    postedAt: post.createdAt,
    createdAt: at,
    updatedAt: at,
    clocks: [],
    answers: [],
    reroutes: [],
  };
}
