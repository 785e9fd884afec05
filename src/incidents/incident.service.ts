import type { Logger } from 'pino';
import { OtklikError, isOtklikError } from '../core/errors.js';
import type { Incident } from '../core/incident/incident.js';
import { openingEvent, transition, type Actor, type Effect, type IncidentAction, type TransitionEnv, type TransitionResult } from '../core/incident/lifecycle.js';
import type { IncidentChange, IncidentRepository } from '../ports/incident-repository.js';
import type { TimerJob, TimerPlanner } from '../ports/timers.js';
import type { NotificationJob, NotificationOutbox } from '../ports/notifications.js';
import type { AnswerPublisher } from '../ports/answer-publisher.js';
import type { IncidentMirror } from '../ports/incident-mirror.js';
import type { Labels } from '../ports/labels.js';
import type { CounterSample, Counters } from '../ports/counters.js';
import type { RouterSource } from '../routing/live-router.js';
import { OPEN_STATUSES } from '../core/incident/incident-query.js';

export interface IncidentServiceDeps {
  store: IncidentRepository;
  env: TransitionEnv;
  timers: TimerPlanner;
  notifications: NotificationOutbox;
  log: Logger;
  now: () => Date;
  /** Publishes answers through the platforms' connectors, where one can reply. */
  publisher?: AnswerPublisher;
  /** Where every committed incident, with its events, goes to the search index. */
  mirror?: IncidentMirror;
  /** Where moderators' topic decisions are kept for retraining the topic model. */
  labels?: Pick<Labels, 'record'>;
  /** Transitions, SLA warnings and breaches for /metrics. */
  counters?: Counters;
  /** The route table in force: a topic changed by a moderator is re-proposed to its body. */
  router?: RouterSource;
}

const SYSTEM: Actor = { id: 'sla-timer', role: 'system' };
const DEDUPLICATOR: Actor = { id: 'near-duplicates', role: 'system' };
/** Copies of one incident's problem, to attach to it. */
interface AttachGroup {
  incidentId: string;
  postIds: readonly string[];
  similarity: number;
}
/** How often a set of attachments is read again and retried whole before it is halved. */
const MANY_ATTEMPTS = 1;

/**
 * The owner of incidents: every change, opening included, goes through here. Opens incidents from
 * alerts, applies actions (load, run the pure state machine, commit atomically with the version
 * checked), then carries out the effects (mirror to the index, timers, notifications, labels).
 * Effects run after the commit and are idempotent, so a crash in between is repaired by
 * `replanAll` at start-up and by the index mirror's retries.
 */
export class IncidentService {
  constructor(private readonly d: IncidentServiceDeps) {}

  /**
   * Opens incidents from alerts, each with its opening audit event. Returns, per incident, whether
   * this call opened it: one that exists (a retried batch) is left as it is.
   */
  async open(incidents: readonly Incident[]): Promise<boolean[]> {
    if (incidents.length === 0) return [];
    const existing = new Set((await this.d.store.getMany(incidents.map((i) => i.id))).map((i) => i.id));
    const opened = new Set<string>();
    const fresh = incidents.filter((i, k) => !existing.has(i.id) && incidents.findIndex((j) => j.id === i.id) === k);
    const changes = fresh.map((incident) => ({ incident, expectedVersion: 0, events: [openingEvent(incident)] }));
    try {
      await this.d.store.commit(changes);
      for (const c of changes) opened.add(c.incident.id);
    } catch (e) {
      if (!isOtklikError(e) || e.code !== 'INCIDENT_VERSION_CONFLICT') throw e;
      // Another worker opened one of them meanwhile: open the rest one by one.
      for (const c of changes) {
        try {
          await this.d.store.commit([c]);
          opened.add(c.incident.id);
        } catch (err) {
          if (!isOtklikError(err) || err.code !== 'INCIDENT_VERSION_CONFLICT') throw err;
        }
      }
    }
    const done = changes.filter((c) => opened.has(c.incident.id));
    await this.afterCommitMany(done.map((c) => ({ incident: c.incident, event: c.events[0], effects: [] })));
    return incidents.map((i, k) => opened.has(i.id) && incidents.findIndex((j) => j.id === i.id) === k);
  }

  /**
   * Attaches near-copies to several incidents at once (a route batch's copies, grouped by the
   * incident each joins): read together, one change each, committed together and mirrored in one
   * index job — not a read, a commit, an index job and a counter per incident. Per group: false when
   * the incident can no longer take posts (closed, rejected, merged) or is gone, so the caller opens
   * the copies on their own. If another route job changed one of them meanwhile, the whole commit
   * is refused: read again and retried, then halved (attachTogether).
   */
  async attachDuplicatesMany(groups: readonly AttachGroup[]): Promise<boolean[]> {
    const out = groups.map(() => false);
    // One change per incident in one commit: a second group for the same one goes on its own.
    const first = new Map<string, number>();
    const later: number[] = [];
    for (const [at, g] of groups.entries()) {
      if (first.has(g.incidentId)) later.push(at);
      else first.set(g.incidentId, at);
    }
    await this.attachTogether([...first.values()], groups, out);
    for (const at of later) {
      const g = groups[at] as AttachGroup;
      out[at] = await this.attachDuplicates(g.incidentId, g.postIds, g.similarity);
    }
    return out;
  }

  /**
   * Commits the attachments of the groups at `ats` together. Refused (another route job changed one
   * of them since the read), they are read again and retried; refused again, the set is halved and
   * each half tried the same way, down to one incident, which `attachDuplicates` retries on its own.
   * The incidents that nobody else touched stay in large commits: under eight concurrent route jobs
   * over the same incidents, the whole set was refused on every try and the fallback attached 220
   * incidents one by one, holding a route job for 17–48 s (the bench's full-speed tail).
   */
  private async attachTogether(ats: readonly number[], groups: readonly AttachGroup[], out: boolean[]): Promise<void> {
    if (ats.length === 0) return;
    if (ats.length === 1) {
      const g = groups[ats[0] as number] as AttachGroup;
      out[ats[0] as number] = await this.attachDuplicates(g.incidentId, g.postIds, g.similarity);
      return;
    }
    for (let attempt = 0; ; attempt++) {
      const found = new Map((await this.d.store.getMany(ats.map((at) => (groups[at] as AttachGroup).incidentId))).map((i) => [i.id, i]));
      const now = this.d.now();
      const planned: { at: number; before: Incident; result: TransitionResult }[] = [];
      for (const at of ats) {
        const g = groups[at] as AttachGroup;
        const incident = found.get(g.incidentId);
        if (!incident) continue;
        try {
          const result = transition(incident, attachAction(g.postIds, g.similarity), DEDUPLICATOR, now, this.d.env);
          if (result.event) planned.push({ at, before: incident, result });
          else out[at] = true;
        } catch (e) {
          if (!isOtklikError(e) || e.code !== 'INCIDENT_TRANSITION_INVALID') throw e;
        }
      }
      try {
        await this.d.store.commit(planned.map((p) => change(p.before, p.result)));
      } catch (e) {
        if (!isOtklikError(e) || e.code !== 'INCIDENT_VERSION_CONFLICT') throw e;
        if (attempt < MANY_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)));
          continue;
        }
        const rest = planned.map((p) => p.at);
        const half = Math.ceil(rest.length / 2);
        await this.attachTogether(rest.slice(0, half), groups, out);
        await this.attachTogether(rest.slice(half), groups, out);
        return;
      }
      await this.afterCommitMany(planned.map((p) => p.result));
      for (const p of planned) out[p.at] = true;
      return;
    }
  }

  /**
   * One action by one actor. `expectedVersion` is the version the actor saw: acting on a stale
   * view fails with INCIDENT_VERSION_CONFLICT instead of silently overwriting someone else's change.
   */
  async act(incidentId: string, action: IncidentAction, actor: Actor, expectedVersion?: number): Promise<Incident> {
    const incident = await this.d.store.require(incidentId);
    if (expectedVersion !== undefined && expectedVersion !== incident.version) {
      throw new OtklikError('INCIDENT_VERSION_CONFLICT', `incident ${incidentId} is at version ${incident.version}, not ${expectedVersion}; reload and try again`, {
        details: { incidentId, currentVersion: incident.version },
      });
    }
    if (action.type === 'merge') return this.merge(incident, action.intoId, actor, this.d.now());
    if (action.type === 'split_off') return this.split(incident, action, actor, this.d.now());
    const effective = await this.published(incident, action, actor);
    // After the publication: the platform's timestamp of it is never later than the action's time.
    const result = transition(incident, effective, actor, this.d.now(), await this.envFor(action));
    if (!result.event) return incident;
    await this.d.store.commit([change(incident, result)]);
    await this.afterCommit(result);
    return result.incident;
  }

  /** The transition environment, with the live route table when the action changes a topic. */
  private async envFor(action: IncidentAction): Promise<TransitionEnv> {
    const changesTopic = action.type === 'reclassify' || (action.type === 'accept' && action.topic !== undefined);
    if (!changesTopic || !this.d.router) return this.d.env;
    const router = await this.d.router.current();
    return { ...this.d.env, propose: (topic, territory, text) => router.route(topic, territory, text) };
  }

  /**
   * Attaches a near-copy of an incident's post to it. False when the incident can no longer take
   * posts (closed, rejected, merged) or is gone, so the caller opens a new one; a concurrent change
   * is retried.
   */
  async attachDuplicates(incidentId: string, postIds: readonly string[], similarity: number): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.act(incidentId, attachAction(postIds, similarity), DEDUPLICATOR);
        return true;
      } catch (e) {
        if (isOtklikError(e) && (e.code === 'INCIDENT_TRANSITION_INVALID' || e.code === 'INCIDENT_NOT_FOUND')) return false;
        // Route jobs running side by side may attach copies to the same incident: re-read and retry.
        if (isOtklikError(e) && e.code === 'INCIDENT_VERSION_CONFLICT' && attempt < 50) {
          await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * An answer counts when it is public. If the post's platform can take a reply and the body has
   * reply credentials, the answer is published under the post first and the platform's timestamp
   * and link are recorded; otherwise the answer is recorded as given (with the URL the responder
   * supplies). A final answer the region reviews is published when a moderator approves it, not
   * before. A failed publication leaves the incident unchanged.
   */
  private async published(incident: Incident, action: IncidentAction, actor: Actor): Promise<IncidentAction> {
    if (action.type !== 'answer' && action.type !== 'approve_answer') return action;
    // Only the engine says an answer was published, and when: a person cannot backdate one.
    if (action.publication !== undefined) throw new OtklikError('INCIDENT_ACTION_INVALID', 'publication: recorded by the engine when it publishes the answer, not sent', { details: { action: action.type, field: 'publication' } });
    if (action.type === 'answer') {
      const toReview = action.kind === 'final' && this.d.env.answerReview === true && actor.role === 'responder';
      // The responder published it by hand and gives the link: recorded as such, not published again.
      if (toReview || action.url !== undefined) return action;
      const publication = await this.publish(incident, action.text);
      return publication ? { ...action, publication } : action;
    }
    const draft = incident.review;
    if (!draft || draft.url !== undefined || incident.status !== 'on_review') return action;
    const publication = await this.publish(incident, draft.text);
    return publication ? { ...action, publication } : action;
  }

  private async publish(incident: Incident, text: string): Promise<{ at: string; url?: string } | undefined> {
    const bodyId = incident.bodyId ?? incident.proposedBodyId;
    const credentialsRef = this.d.env.bodies.has(bodyId) ? this.d.env.bodies.get(bodyId).replyCredentials : undefined;
    const postId = incident.postIds[0];
    const platform = postId?.split(':')[0] ?? '';
    if (!this.d.publisher || !credentialsRef || !postId || !this.d.publisher.canReply(platform)) return undefined;
    let published;
    try {
      published = await this.d.publisher.reply({
        incidentId: incident.id,
        postId,
        ...(incident.permalink ? { permalink: incident.permalink } : {}),
        text,
        credentialsRef,
        idempotencyKey: `${incident.id}.${incident.version}`,
      });
    } catch (e) {
      // Not possible at all (wrong wall, nowhere to comment): saying so beats retrying.
      if (isOtklikError(e) && e.code === 'REPLY_NOT_POSSIBLE') throw new OtklikError('REPLY_NOT_POSSIBLE', e.message, { cause: e, details: { ...e.details, incidentId: incident.id, platform } });
      throw new OtklikError('REPLY_FAILED', `publishing the answer on ${platform} failed: ${(e as Error).message}`, { cause: e, details: { incidentId: incident.id, platform } });
    }
    return { at: published.publishedAt, ...(published.url ? { url: published.url } : {}) };
  }

  /** Several incidents, one action each; returns what happened to each (bulk moderation). */
  async actMany(items: readonly { incidentId: string; action: IncidentAction; expectedVersion?: number }[], actor: Actor): Promise<({ ok: true; incident: Incident } | { ok: false; incidentId: string; error: { code: string; message: string } })[]> {
    const out = [];
    for (const item of items) {
      try {
        out.push({ ok: true as const, incident: await this.act(item.incidentId, item.action, actor, item.expectedVersion) });
      } catch (e) {
        if (!isOtklikError(e)) throw e;
        out.push({ ok: false as const, incidentId: item.incidentId, error: { code: e.code, message: e.message } });
      }
    }
    return out;
  }

  private async merge(source: Incident, intoId: string, actor: Actor, now: Date): Promise<Incident> {
    const target = await this.d.store.require(intoId);
    const merged = transition(source, { type: 'merge', intoId }, actor, now, this.d.env);
    const absorbed = transition(target, { type: 'absorb', fromId: source.id, postIds: source.postIds }, actor, now, this.d.env);
    await this.d.store.commit([change(source, merged), change(target, absorbed)]);
    await this.afterCommit(merged);
    await this.afterCommit(absorbed);
    return absorbed.incident;
  }

  private async split(source: Incident, action: Extract<IncidentAction, { type: 'split_off' }>, actor: Actor, now: Date): Promise<Incident> {
    const result = transition(source, action, actor, now, this.d.env);
    const at = now.toISOString();
    const created: Incident = {
      ...source,
      id: action.newId,
      status: 'alert',
      version: 1,
      postIds: action.postIds,
      createdAt: at,
      updatedAt: at,
      clocks: [],
      answers: [],
      reroutes: [],
    };
    delete created.bodyId;
    delete created.pausedFrom;
    delete created.rejection;
    delete created.mergedInto;
    const createdEvent = { incidentId: created.id, version: 1, at, actor, action: 'split_off' as const, from: 'alert' as const, to: 'alert' as const, details: { splitFrom: source.id, postIds: action.postIds } };
    await this.d.store.commit([change(source, result), { incident: created, expectedVersion: 0, events: [createdEvent] }]);
    await this.afterCommit(result);
    await this.afterCommit({ incident: created, event: createdEvent, effects: [] });
    return created;
  }

  /** A timer fired: warn or breach, as the system. Stale timers and lost races are harmless no-ops. */
  async fireTimer(job: TimerJob, jobId: string): Promise<void> {
    const action: IncidentAction = job.kind === 'warning' ? { type: 'clock_warning', clockId: job.clockId, fraction: job.fraction ?? 0 } : { type: 'clock_due', clockId: job.clockId };
    for (let attempt = 0; attempt < 5; attempt++) {
      const incident = await this.d.store.get(job.incidentId);
      if (!incident) break;
      let result: TransitionResult;
      try {
        result = transition(incident, action, SYSTEM, this.d.now(), this.d.env);
      } catch (e) {
        // The incident moved to a state where timers mean nothing (closed, merged...).
        if (isOtklikError(e) && e.code === 'INCIDENT_TRANSITION_INVALID') break;
        throw e;
      }
      if (!result.event) break;
      try {
        await this.d.store.commit([change(incident, result)]);
      } catch (e) {
        if (isOtklikError(e) && e.code === 'INCIDENT_VERSION_CONFLICT') continue;
        throw e;
      }
      await this.afterCommit(result);
      break;
    }
    await this.d.timers.fired(job.incidentId, jobId);
  }

  /** Re-plans the timers of every open incident: start-up repair after a crash between commit and re-plan. */
  async replanAll(): Promise<number> {
    let n = 0;
    for (const status of OPEN_STATUSES) {
      for (let offset = 0; ; offset += 500) {
        const ids = await this.d.store.idsByStatus(status, 500, offset);
        for (const inc of await this.d.store.getMany(ids)) {
          await this.d.timers.replan(inc);
          n++;
        }
        if (ids.length < 500) break;
      }
    }
    return n;
  }

  /** Effects of several commits: one mirror (one index job) and one count for them all, then each one's own. */
  private async afterCommitMany(results: readonly TransitionResult[]): Promise<void> {
    if (results.length === 0) return;
    await this.d.mirror?.mirror(results.map((r) => ({ incident: r.incident, events: r.event ? [r.event] : [] })));
    const samples: CounterSample[] = [];
    for (const r of results) await this.afterCommit(r, { mirrored: true, samples });
    if (this.d.counters) await this.d.counters.count(samples);
  }

  /** `mirrored`: the caller mirrored it already; `samples`: the counters are gathered there for the caller to count. */
  private async afterCommit(result: TransitionResult, o: { mirrored?: boolean; samples?: CounterSample[] } = {}): Promise<void> {
    const { incident, effects } = result;
    if (!o.mirrored) await this.d.mirror?.mirror([{ incident, events: result.event ? [result.event] : [] }]);
    if (effects.some((e) => e.type === 'replan_timers')) await this.d.timers.replan(incident);
    // Accepting confirms a topic (the proposed one or the one chosen), that the post reports a
    // problem and the body it goes to; reclassifying corrects the topic; rerouting corrects the
    // body (the router learns from it); rejecting as noise says it reports none.
    const e = result.event;
    const noise = e?.action === 'reject' && incident.rejection?.noise === true;
    if (this.d.labels && e && (e.action === 'accept' || e.action === 'reclassify' || e.action === 'reroute' || noise) && incident.text) {
      await this.d.labels.record({
        incidentId: incident.id,
        text: incident.text,
        topic: incident.topic,
        ...(incident.subtopic ? { subtopic: incident.subtopic } : {}),
        action: e.action,
        problem: !noise,
        ...(!noise && incident.bodyId ? { body: incident.bodyId } : {}),
        ...(incident.territory ? { territory: incident.territory } : {}),
        by: e.actor.id,
        at: e.at,
      });
    }
    const notes: NotificationJob[] = effects
      .filter((e): e is Extract<Effect, { type: 'notify' }> => e.type === 'notify')
      .map((e) => ({ event: e.event, incidentId: incident.id, version: incident.version, bodyIds: e.bodyIds, moderators: e.moderators, ...(e.clockId ? { clockId: e.clockId } : {}) }));
    await this.d.notifications.enqueue(notes);
    if (this.d.counters && e) {
      if (o.samples) o.samples.push(...transitionSamples(incident, e.action, e.details));
      else await this.d.counters.count(transitionSamples(incident, e.action, e.details));
    }
    if (result.event) {
      this.d.log.info(
        { incidentId: incident.id, action: result.event.action, from: result.event.from, to: result.event.to, actor: result.event.actor.id, version: incident.version },
        `incident ${incident.id}: ${result.event.action} (${result.event.from} → ${result.event.to})`,
      );
    }
  }
}

/** Every transition by action; SLA warnings and breaches also by body and clock kind. */
function transitionSamples(incident: Incident, action: string, details: Record<string, unknown>): CounterSample[] {
  const out: CounterSample[] = [{ name: 'otklik_incident_transitions_total', labels: { action }, value: 1 }];
  if (action === 'clock_due' || action === 'clock_warning') {
    const clock = incident.clocks.find((c) => c.id === details.clockId);
    out.push({ name: action === 'clock_due' ? 'otklik_sla_breaches_total' : 'otklik_sla_warnings_total', labels: { body: clock?.bodyId ?? 'unknown', clock: clock?.kind ?? 'unknown', scope: clock?.scope ?? 'unknown' }, value: 1 });
  }
  return out;
}

function attachAction(postIds: readonly string[], similarity: number): IncidentAction {
  return { type: 'attach_duplicate', postIds: [...postIds], similarity: Math.round(similarity * 1000) / 1000 };
}

function change(before: Incident, result: TransitionResult): IncidentChange {
  return { incident: result.incident, expectedVersion: before.version, previousStatus: before.status, events: result.event ? [result.event] : [] };
}
