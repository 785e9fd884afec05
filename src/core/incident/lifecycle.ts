import { z } from 'zod';
import { OtklikError } from '../errors.js';
import type { BodyDirectory } from '../bodies/bodies.js';
import type { Incident, IncidentStatus, SlaClock } from './incident.js';
import { answerLinkProblem, answerLinkSchema } from './answer-link.js';
import { isRunning, pauseClock, planClock, policyText, resumeClock, startClock, stopClock, type ClockEnv } from './clocks.js';

/** Who acts. Responders act for one body (and the bodies below it). */
export interface Actor {
  id: string;
  role: 'admin' | 'moderator' | 'responder' | 'system';
  bodyId?: string;
}

const reason = z.string().trim().min(3, 'a reason of at least 3 characters is required').max(2000);

/** Every action on an incident, validated before it reaches the state machine. */
export const incidentActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('accept'), bodyId: z.string().optional(), topic: z.string().optional(), priority: z.enum(['high', 'normal']).optional() }).strict(),
  /** `noise`: the post reports no problem at all (an ad, chatter, a poem): the problem detector learns from it. */
  z.object({ type: z.literal('reject'), reason, noise: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('merge'), intoId: z.string().min(1) }).strict(),
  z.object({ type: z.literal('absorb'), fromId: z.string().min(1), postIds: z.array(z.string().min(1)).min(1) }).strict(),
  z.object({ type: z.literal('split_off'), postIds: z.array(z.string().min(1)).min(1), newId: z.string().min(1) }).strict(),
  z.object({ type: z.literal('reclassify'), topic: z.string().min(1) }).strict(),
  z.object({ type: z.literal('set_priority'), priority: z.enum(['high', 'normal']) }).strict(),
  z.object({ type: z.literal('reroute'), bodyId: z.string().min(1), reason }).strict(),
  z.object({ type: z.literal('take') }).strict(),
  z.object({
    type: z.literal('answer'),
    kind: z.enum(['interim', 'final']),
    text: z.string().trim().min(1).max(10_000),
    /** Where the responder published the answer themselves: recorded, not published by the engine. */
    url: answerLinkSchema.optional(),
    /** The platform's record of the answer the engine published under the post: set by the engine alone. */
    publication: z.object({ at: z.string().datetime({ offset: true }), url: answerLinkSchema.optional() }).strict().optional(),
  }).strict(),
  z.object({ type: z.literal('pause'), reason }).strict(),
  z.object({ type: z.literal('resume') }).strict(),
  z.object({ type: z.literal('close') }).strict(),
  z.object({ type: z.literal('reopen'), reason }).strict(),
  /** A moderator publishes the final answer waiting for review as it stands. */
  z.object({ type: z.literal('approve_answer'), publication: z.object({ at: z.string().datetime({ offset: true }), url: answerLinkSchema.optional() }).strict().optional() }).strict(),
  /** A moderator sends the final answer waiting for review back to the body, saying what to rework. */
  z.object({ type: z.literal('return_answer'), reason }).strict(),
  z.object({ type: z.literal('clock_warning'), clockId: z.string(), fraction: z.number().gt(0).lt(1) }).strict(),
  z.object({ type: z.literal('clock_due'), clockId: z.string() }).strict(),
  /** The engine recognised a post as a near-copy of this incident's and attached it. */
  z.object({ type: z.literal('attach_duplicate'), postIds: z.array(z.string().min(1)).min(1).max(1000), similarity: z.number().min(0).max(1) }).strict(),
  /** Someone replied in the post's thread after an answer: what they made of it. */
  z.object({ type: z.literal('reaction'), postId: z.string().min(1), at: z.string().datetime({ offset: true }), verdict: z.enum(['satisfied', 'unsatisfied', 'neutral']), cues: z.array(z.string().max(100)).max(20), byAuthor: z.boolean().optional() }).strict(),
  /** The engine recognised a new alert as the same problem as an incident closed not long ago. */
  z.object({ type: z.literal('mark_repeat'), ofId: z.string().min(1), closedAt: z.string().datetime({ offset: true }), score: z.number().min(0).max(1) }).strict(),
]);

export type IncidentAction = z.infer<typeof incidentActionSchema>;
export type ActionType = IncidentAction['type'];

/** One line of the append-only audit trail. */
export interface AuditEvent {
  incidentId: string;
  version: number;
  at: string;
  actor: Actor;
  /** An action taken, or `open`: the engine opened the incident from an alert. */
  action: ActionType | 'open';
  from: IncidentStatus;
  to: IncidentStatus;
  reason?: string;
  details: Record<string, unknown>;
}

/** Something the edges must do because of a transition (notify, publish, re-plan timers). */
export type Effect =
  | { type: 'notify'; event: 'routed' | 'warning' | 'breach' | 'reroute' | 'reopen' | 'review' | 'returned'; bodyIds: string[]; moderators: boolean; clockId?: string }
  | { type: 'replan_timers' };

export interface TransitionEnv extends ClockEnv {
  bodies: BodyDirectory;
  topics: ReadonlySet<string>;
  rerouteRestartsBodyClock: boolean;
  /**
   * The body the route table in force proposes for a topic, territory and text. When given, an
   * alert whose topic a moderator changes is re-proposed to the new topic's body (the old topic's
   * body would otherwise stay proposed: «Освещение» still going to ЖКХ).
   */
  propose?: (topic: string, territory: string | undefined, text: string) => { bodyId: string; reason: string };
  /**
   * The region reviews answers (ANSWER_REVIEW): a responder's final answer waits `on_review` for a
   * moderator instead of going out at once. The clocks pause meanwhile: the review's time is not the body's.
   */
  answerReview?: boolean;
}

export interface TransitionResult {
  incident: Incident;
  event?: AuditEvent;
  effects: Effect[];
}

const OPEN: readonly IncidentStatus[] = ['routed', 'in_progress', 'answered_interim', 'paused'];
/** Open, or its final answer waiting for review: posts still join it, moderators still file it. */
const LIVE: readonly IncidentStatus[] = [...OPEN, 'on_review'];
const MODERATION: Actor['role'][] = ['admin', 'moderator'];
const RESPONSE: Actor['role'][] = ['admin', 'moderator', 'responder'];

/** Which roles may take an action, and from which states. */
const RULES: Record<ActionType, { from: readonly IncidentStatus[]; roles: readonly Actor['role'][] }> = {
  accept: { from: ['alert'], roles: MODERATION },
  reject: { from: ['alert'], roles: MODERATION },
  // The engine merges a repeated problem into the incident it reopens (REPEAT_POLICY=reopen).
  merge: { from: ['alert', ...LIVE], roles: [...MODERATION, 'system'] },
  absorb: { from: ['alert', ...LIVE], roles: [...MODERATION, 'system'] },
  split_off: { from: ['alert', ...LIVE], roles: MODERATION },
  reclassify: { from: ['alert', ...LIVE], roles: MODERATION },
  set_priority: { from: ['alert', ...LIVE], roles: MODERATION },
  reroute: { from: OPEN, roles: [...MODERATION, 'responder'] },
  take: { from: ['routed'], roles: RESPONSE },
  answer: { from: ['routed', 'in_progress', 'answered_interim'], roles: RESPONSE },
  approve_answer: { from: ['on_review'], roles: MODERATION },
  return_answer: { from: ['on_review'], roles: MODERATION },
  pause: { from: ['routed', 'in_progress', 'answered_interim'], roles: RESPONSE },
  resume: { from: ['paused'], roles: RESPONSE },
  close: { from: ['answered_final'], roles: RESPONSE },
  reopen: { from: ['closed', 'answered_final', 'rejected'], roles: [...MODERATION, 'system'] },
  clock_warning: { from: [...OPEN], roles: ['system'] },
  clock_due: { from: [...OPEN], roles: ['system'] },
  attach_duplicate: { from: ['alert', ...LIVE], roles: ['system'] },
  mark_repeat: { from: ['alert'], roles: ['system'] },
  reaction: { from: [...LIVE, 'answered_final', 'closed'], roles: ['system'] },
};

function invalid(message: string, details: Record<string, unknown> = {}): OtklikError {
  return new OtklikError('INCIDENT_TRANSITION_INVALID', message, { details });
}

/** A responder acts only on incidents of its own body or a body below it. */
function checkScope(incident: Incident, actor: Actor, env: TransitionEnv): void {
  if (actor.role !== 'responder') return;
  const body = incident.bodyId;
  if (!actor.bodyId || !body || !env.bodies.subtree(actor.bodyId).has(body)) {
    throw new OtklikError('INCIDENT_TRANSITION_INVALID', 'this incident is not assigned to your body', { details: { incidentId: incident.id } });
  }
}

function startRoutedClocks(incident: Incident, bodyId: string, at: Date, env: TransitionEnv, withIncidentClock: boolean): SlaClock[] {
  const p = env.bodies.policies(bodyId, incident.priority);
  const clocks = [...incident.clocks];
  clocks.push(startClock(env, 'first_response', 'body', bodyId, p.firstResponse, p.warnAt, at, clocks));
  if (withIncidentClock) clocks.push(startClock(env, 'first_response', 'incident', bodyId, p.firstResponse, p.warnAt, at, clocks));
  return clocks;
}

/** A moderator files under a group (`snow`) or a topic inside one (`snow.yards`). */
function fileUnder(incident: Incident, topic: string): void {
  const dot = topic.indexOf('.');
  incident.topic = dot > 0 ? topic.slice(0, dot) : topic;
  if (dot > 0) incident.subtopic = topic;
  else delete incident.subtopic;
}

/** Proposes the body for the incident's (new) topic from the route table in force, noting the change. */
function repropose(next: Incident, before: Incident, env: TransitionEnv, details: Record<string, unknown>): void {
  if (!env.propose) return;
  const decision = env.propose(next.subtopic ?? next.topic, next.territory, next.text ?? '');
  next.proposedBodyId = decision.bodyId;
  next.routeReason = decision.reason;
  if (decision.bodyId !== before.proposedBodyId) {
    details.previousProposal = before.proposedBodyId;
    details.proposedBodyId = decision.bodyId;
    details.routeReason = decision.reason;
  }
}

function mapClocks(clocks: readonly SlaClock[], fn: (c: SlaClock) => SlaClock): SlaClock[] {
  return clocks.map((c) => (isRunning(c) ? fn(c) : c));
}

/**
 * The incident state machine: pure, deterministic, no I/O. Returns the next incident (version + 1),
 * the audit event and the effects to carry out; throws a typed error, leaving the incident as it
 * was, when the action is not allowed.
 */
export function transition(incident: Incident, input: IncidentAction, actor: Actor, now: Date, env: TransitionEnv): TransitionResult {
  const parsed = incidentActionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OtklikError('INCIDENT_ACTION_INVALID', `${issue?.path.join('.') || 'action'}: ${issue?.message ?? 'invalid'}`, {
      details: { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
    });
  }
  const action = parsed.data;
  const rule = RULES[action.type];
  if (!rule.roles.includes(actor.role)) {
    throw new OtklikError('INCIDENT_TRANSITION_INVALID', `a ${actor.role} may not ${action.type} an incident`, { details: { action: action.type } });
  }
  if (!rule.from.includes(incident.status)) {
    throw invalid(`cannot ${action.type} an incident that is ${incident.status}`, { action: action.type, status: incident.status });
  }
  checkScope(incident, actor, env);
  const at = now.toISOString();
  let next: Incident = { ...incident };
  const effects: Effect[] = [];
  let reasonText: string | undefined;
  const details: Record<string, unknown> = {};

  switch (action.type) {
    case 'accept': {
      if (action.topic !== undefined) {
        if (!env.topics.has(action.topic)) throw new OtklikError('TOPIC_UNKNOWN', `unknown topic "${action.topic}"`);
        fileUnder(next, action.topic);
        details.previousTopic = incident.subtopic ?? incident.topic;
        details.topic = action.topic;
        // Accepted under another topic with no body named: the new topic's body, not the old one's.
        if (action.bodyId === undefined) repropose(next, incident, env, details);
      }
      const bodyId = action.bodyId ?? next.proposedBodyId;
      env.bodies.get(bodyId);
      if (action.priority) next.priority = action.priority;
      next.status = 'routed';
      next.bodyId = bodyId;
      next.clocks = startRoutedClocks(next, bodyId, now, env, true);
      details.bodyId = bodyId;
      if (bodyId !== next.proposedBodyId) details.overrodeProposal = next.proposedBodyId;
      effects.push({ type: 'notify', event: 'routed', bodyIds: [bodyId], moderators: false }, { type: 'replan_timers' });
      break;
    }
    case 'reject':
      next.status = 'rejected';
      next.rejection = { reason: action.reason, by: actor.id, ...(action.noise ? { noise: true } : {}) };
      reasonText = action.reason;
      break;
    case 'merge':
      if (action.intoId === incident.id) throw invalid('an incident cannot be merged into itself');
      next.status = 'merged';
      next.mergedInto = action.intoId;
      next.clocks = mapClocks(next.clocks, (c) => stopClock(c, now, env, 'cancelled'));
      details.intoId = action.intoId;
      effects.push({ type: 'replan_timers' });
      break;
    case 'absorb':
      next.postIds = [...new Set([...incident.postIds, ...action.postIds])];
      details.fromId = action.fromId;
      details.postIds = action.postIds;
      break;
    case 'split_off': {
      const leaving = new Set(action.postIds);
      const unknown = action.postIds.filter((p) => !incident.postIds.includes(p));
      if (unknown.length > 0) throw invalid(`posts not in this incident: ${unknown.join(', ')}`);
      if (incident.postIds.every((p) => leaving.has(p))) throw invalid('a split must leave at least one post');
      next.postIds = incident.postIds.filter((p) => !leaving.has(p));
      details.postIds = action.postIds;
      details.newId = action.newId;
      break;
    }
    case 'reclassify':
      if (!env.topics.has(action.topic)) throw new OtklikError('TOPIC_UNKNOWN', `unknown topic "${action.topic}"`);
      fileUnder(next, action.topic);
      details.previousTopic = incident.subtopic ?? incident.topic;
      details.topic = action.topic;
      // An alert's proposal follows its topic; an accepted incident stays with its body (reroute moves it).
      if (incident.status === 'alert') repropose(next, incident, env, details);
      break;
    case 'set_priority': {
      next.priority = action.priority;
      details.previous = incident.priority;
      if (next.bodyId) {
        const p = env.bodies.policies(next.bodyId, next.priority);
        next.clocks = mapClocks(next.clocks, (c) => planClock({ ...c, policy: c.kind === 'first_response' ? policyText(p.firstResponse) : policyText(p.finalAnswer) }, env));
        effects.push({ type: 'replan_timers' });
      }
      break;
    }
    case 'reroute': {
      const from = incident.bodyId ?? incident.proposedBodyId;
      env.bodies.get(action.bodyId);
      if (action.bodyId === from) throw invalid('the incident is already with that body');
      reasonText = action.reason;
      next.bodyId = action.bodyId;
      next.reroutes = [...incident.reroutes, { from, to: action.bodyId, reason: action.reason, by: actor.id, at }];
      const wasPaused = incident.status === 'paused';
      next.status = 'routed';
      delete next.pausedFrom;
      let clocks = wasPaused ? mapClocks(incident.clocks, (c) => resumeClock(c, now, env)) : [...incident.clocks];
      if (env.rerouteRestartsBodyClock) {
        clocks = clocks.map((c) => (isRunning(c) && c.scope === 'body' ? stopClock(c, now, env, 'rerouted') : c));
        next.clocks = clocks;
        next.clocks = startRoutedClocks(next, action.bodyId, now, env, false);
      } else {
        next.clocks = clocks.map((c) => (isRunning(c) && c.scope === 'body' ? planClock({ ...c, bodyId: action.bodyId }, env) : c));
      }
      details.from = from;
      details.to = action.bodyId;
      effects.push({ type: 'notify', event: 'reroute', bodyIds: [action.bodyId, from], moderators: true }, { type: 'replan_timers' });
      break;
    }
    case 'take':
      next.status = 'in_progress';
      break;
    case 'answer': {
      const platform = incident.postIds[0]?.split(':')[0] ?? '';
      const problem = action.url ? answerLinkProblem(platform, action.url) : undefined;
      if (problem) throw new OtklikError('INCIDENT_ACTION_INVALID', `url: ${problem}`, { details: { action: 'answer', field: 'url' } });
      if (action.kind === 'final' && env.answerReview && actor.role === 'responder') {
        // Reviewed before it goes out: kept as a draft, the clocks wait with it.
        next.status = 'on_review';
        next.review = { text: action.text, ...(action.url ? { url: action.url } : {}), by: actor.id, submittedAt: at };
        next.clocks = mapClocks(incident.clocks, (c) => pauseClock(c, now, env));
        details.kind = action.kind;
        details.text = action.text;
        effects.push({ type: 'notify', event: 'review', bodyIds: [], moderators: true }, { type: 'replan_timers' });
        break;
      }
      recordAnswer(next, incident, { kind: action.kind, text: action.text, url: action.url, publication: action.publication, by: actor.id }, now, env, details);
      effects.push({ type: 'replan_timers' });
      break;
    }
    case 'approve_answer': {
      const draft = incident.review;
      if (!draft) throw invalid('no answer is waiting for review');
      delete next.review;
      const resumed = { ...incident, clocks: mapClocks(incident.clocks, (c) => resumeClock(c, now, env)) };
      recordAnswer(next, resumed, { kind: 'final', text: draft.text, url: draft.url, publication: action.publication, by: draft.by }, now, env, details);
      details.approvedBy = actor.id;
      effects.push({ type: 'replan_timers' });
      break;
    }
    case 'return_answer': {
      const draft = incident.review;
      if (!draft) throw invalid('no answer is waiting for review');
      delete next.review;
      next.returns = [...(incident.returns ?? []), { text: draft.text, remark: action.reason, by: actor.id, at }].slice(-20);
      next.status = 'in_progress';
      next.clocks = mapClocks(incident.clocks, (c) => resumeClock(c, now, env));
      reasonText = action.reason;
      details.text = draft.text;
      const bodyId = incident.bodyId ?? incident.proposedBodyId;
      effects.push({ type: 'notify', event: 'returned', bodyIds: [bodyId], moderators: false }, { type: 'replan_timers' });
      break;
    }
    case 'pause':
      next.status = 'paused';
      next.pausedFrom = incident.status;
      next.clocks = mapClocks(incident.clocks, (c) => pauseClock(c, now, env));
      reasonText = action.reason;
      effects.push({ type: 'replan_timers' });
      break;
    case 'resume':
      next.status = incident.pausedFrom ?? 'routed';
      delete next.pausedFrom;
      next.clocks = mapClocks(incident.clocks, (c) => resumeClock(c, now, env));
      effects.push({ type: 'replan_timers' });
      break;
    case 'close':
      next.status = 'closed';
      break;
    case 'reopen': {
      const bodyId = incident.bodyId ?? incident.proposedBodyId;
      next.status = 'routed';
      // A rejected alert brought back is a correction, not the problem coming back.
      if (incident.status !== 'rejected') next.reopenings = (incident.reopenings ?? 0) + 1;
      next.bodyId = bodyId;
      next.clocks = startRoutedClocks({ ...next, clocks: mapClocks(incident.clocks, (c) => stopClock(c, now, env, 'cancelled')) }, bodyId, now, env, true);
      reasonText = action.reason;
      effects.push({ type: 'notify', event: 'reopen', bodyIds: [bodyId], moderators: true }, { type: 'replan_timers' });
      break;
    }
    case 'clock_warning': {
      const clock = incident.clocks.find((c) => c.id === action.clockId);
      // Timers may fire late or twice: a warning for a stopped clock or one already given is a no-op.
      if (!clock || !isRunning(clock) || clock.warningsFired.includes(action.fraction) || !clock.warnAt.includes(action.fraction)) {
        return { incident, effects: [] };
      }
      next.clocks = incident.clocks.map((c) => (c.id === clock.id ? { ...c, warningsFired: [...c.warningsFired, action.fraction].sort() } : c));
      details.clockId = clock.id;
      details.fraction = action.fraction;
      effects.push({ type: 'notify', event: 'warning', bodyIds: [clock.bodyId], moderators: false, clockId: clock.id });
      break;
    }
    case 'reaction':
      // One reaction per reply: a redelivered comment changes nothing.
      if ((incident.reactions ?? []).some((r) => r.postId === action.postId)) return { incident, effects: [] };
      next.reactions = [
        ...(incident.reactions ?? []),
        { postId: action.postId, at: new Date(action.at).toISOString(), verdict: action.verdict, cues: action.cues, ...(action.byAuthor === undefined ? {} : { byAuthor: action.byAuthor }) },
      ].slice(-200);
      details.postId = action.postId;
      details.verdict = action.verdict;
      break;
    case 'mark_repeat':
      if (action.ofId === incident.id) throw invalid('an incident cannot repeat itself');
      next.repeatOf = { incidentId: action.ofId, closedAt: new Date(action.closedAt).toISOString(), score: action.score };
      details.ofId = action.ofId;
      details.score = action.score;
      break;
    case 'attach_duplicate':
    {
      // A redelivered post is attached once.
      const fresh = [...new Set(action.postIds)].filter((p) => !incident.postIds.includes(p));
      if (fresh.length === 0) return { incident, effects: [] };
      next.postIds = [...incident.postIds, ...fresh];
      details.postIds = fresh;
      details.similarity = action.similarity;
      break;
    }
    case 'clock_due': {
      const clock = incident.clocks.find((c) => c.id === action.clockId);
      if (!clock || !isRunning(clock) || clock.breachedAt !== undefined || clock.dueAt === undefined || Date.parse(clock.dueAt) > now.getTime()) {
        return { incident, effects: [] };
      }
      next.clocks = incident.clocks.map((c) => (c.id === clock.id ? { ...c, breachedAt: at } : c));
      details.clockId = clock.id;
      details.dueAt = clock.dueAt;
      const parent = env.bodies.ancestors(clock.bodyId)[0];
      effects.push({ type: 'notify', event: 'breach', bodyIds: [clock.bodyId, ...(parent ? [parent.id] : [])], moderators: true, clockId: clock.id });
      break;
    }
  }

  next = { ...next, version: incident.version + 1, updatedAt: at };
  const event: AuditEvent = {
    incidentId: incident.id,
    version: next.version,
    at,
    actor,
    action: action.type,
    from: incident.status,
    to: next.status,
    ...(reasonText === undefined ? {} : { reason: reasonText }),
    details,
  };
  return { incident: next, event, effects };
}

/**
 * Records a public answer: the time that counts is the platform's timestamp of an answer the engine
 * published, else the server's time of the action — never what a person says, never before the
 * incident or after now. The first answer stops the first-response clocks; an interim one starts the
 * final-answer clock, a final one stops every clock.
 */
function recordAnswer(
  next: Incident,
  incident: Incident,
  a: { kind: 'interim' | 'final'; text: string; url: string | undefined; publication: { at: string; url?: string | undefined } | undefined; by: string },
  now: Date,
  env: TransitionEnv,
  details: Record<string, unknown>,
): void {
  const platformAt = a.publication ? Date.parse(a.publication.at) : now.getTime();
  const publishedAt = new Date(Math.min(now.getTime(), Math.max(platformAt, Date.parse(incident.createdAt))));
  const url = a.publication?.url ?? a.url;
  next.answers = [...incident.answers, { kind: a.kind, text: a.text, ...(url ? { url } : {}), publishedAt: publishedAt.toISOString(), published: a.publication !== undefined, by: a.by }];
  let clocks = mapClocks(incident.clocks, (c) => (c.kind === 'first_response' ? stopClock(c, publishedAt, env) : c));
  if (a.kind === 'interim') {
    next.status = 'answered_interim';
    const bodyId = incident.bodyId ?? incident.proposedBodyId;
    if (!clocks.some((c) => c.kind === 'final_answer' && isRunning(c))) {
      const p = env.bodies.policies(bodyId, incident.priority);
      clocks = [...clocks, startClock(env, 'final_answer', 'body', bodyId, p.finalAnswer, p.warnAt, publishedAt, clocks)];
    }
  } else {
    next.status = 'answered_final';
    clocks = mapClocks(clocks, (c) => stopClock(c, publishedAt, env));
  }
  next.clocks = clocks;
  details.kind = a.kind;
  details.publishedAt = publishedAt.toISOString();
  details.published = a.publication !== undefined;
  if (url) details.url = url;
}

/** Who opens incidents: the pipeline, when a post is an alert. */
export const PIPELINE: Actor = { id: 'pipeline', role: 'system' };

/** The first line of an incident's audit trail: opened from an alert, with what the engine proposed. */
export function openingEvent(incident: Incident): AuditEvent {
  return {
    incidentId: incident.id,
    version: incident.version,
    at: incident.createdAt,
    actor: PIPELINE,
    action: 'open',
    from: incident.status,
    to: incident.status,
    details: { postIds: incident.postIds, topic: incident.topic, proposedBodyId: incident.proposedBodyId, priority: incident.priority },
  };
}
